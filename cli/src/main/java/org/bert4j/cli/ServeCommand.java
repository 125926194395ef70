package org.bert4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.bert4j.heads.BertBackbone;
import org.bert4j.heads.HeadsFolder;
import org.bert4j.server.BertServer;
import org.bert4j.server.ServerOptions;

/**
 * {@code bert4j serve}: the model (and heads) over HTTP with Hugging Face TEI's and OpenAI's routes, until SIGTERM
 * or Ctrl-C, which stop it gracefully: no new connections, the requests in progress answered, exit 0.
 */
final class ServeCommand implements Command {

    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String summary() {
        return "an HTTP server: TEI's /embed, /predict, /rerank, ... and OpenAI's /v1/embeddings, with dynamic batching";
    }

    @Override
    public String help() {
        ServerOptions d = ServerOptions.defaults();
        return """
                Usage: bert4j serve [--model DIR] [--heads DIR] [--port 8080] [--host 127.0.0.1] [options]

                Serves the model over HTTP with Hugging Face text-embeddings-inference's routes and OpenAI's
                embeddings route: POST /embed, /embed_all, /v1/embeddings, /predict and /ner (with --heads),
                /rerank, /tokenize, /decode; GET /health, /info, /metrics (Prometheus). Concurrent requests are
                packed into shared forward passes (dynamic batching). SIGTERM or Ctrl-C stops it gracefully:
                no new connections, the requests in progress are answered, exit code 0. See docs/server.md.

                Options (TEI's names and defaults):
                  --model DIR                  model folder (default: the heads' model, else all-MiniLM-L6-v2)
                  --heads DIR                  task heads written by 'bert4j train', served by /predict and /ner
                  --host ADDR                  address to listen on (default %s: this machine only)
                  --port N                     port (default %d; 0 picks a free one)
                  --max-batch-tokens N         tokens per forward pass (default %d)
                  --max-batch-requests N       inputs per forward pass (default: no limit but the tokens)
                  --max-client-batch-size N    inputs per request (default %d)
                  --max-concurrent-requests N  inference requests at once; more get 429 (default %d)
                  --max-input-length N         tokens per input (default: the model's max_seq_length)
                  --auto-truncate              cut long inputs when a request does not say "truncate"
                  --payload-limit BYTES        largest request body (default %d)
                  --request-timeout SECONDS    longest wait for the model before a 503 (default %d)
                  --api-key KEY                require 'Authorization: Bearer KEY' on all routes but /health
                                               (or set BERT4J_API_KEY, which keeps the key out of 'ps')
                  --served-model-name NAME     the model name in /info and OpenAI answers (default: folder name)
                  --threads N                  compute threads (default: all cores)
                """.formatted(d.host(), d.port(), d.maxBatchTokens(), d.maxClientBatchSize(), d.maxConcurrentRequests(),
                d.payloadLimit(), d.requestTimeout().toSeconds());
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("model", "heads", "host", "port", "max-batch-tokens", "max-batch-requests", "max-client-batch-size",
                "max-concurrent-requests", "max-input-length", "payload-limit", "request-timeout", "api-key",
                "served-model-name", "threads");
    }

    @Override
    public Set<String> switches() {
        return Set.of("auto-truncate");
    }

    @Override
    public int run(CommandLine args, Console console) throws Exception {
        if (!args.positionals().isEmpty()) {
            throw new UsageException("serve: unexpected argument '" + args.positionals().getFirst() + "'");
        }
        ServerOptions options = options(args);
        Path heads = headsFolder(args);
        Path model = args.get("model") != null || heads == null ? ModelLocator.modelDir(args)
                : BertBackbone.folderOf(HeadsFolder.backboneOf(heads).reference(), heads);
        if (!Files.isDirectory(model)) {
            throw new UsageException("serve: the model the heads in " + heads + " were trained on (" + model
                    + ") no longer exists: give its new folder with --model DIR");
        }
        // The JDK server's own limits on a slow client (seconds to send a request, to read an answer): unset, a
        // client that never finishes sending its body would hold a connection for ever.
        long seconds = options.requestTimeout().toSeconds() + 1;
        System.setProperty("sun.net.httpserver.maxReqTime",
                System.getProperty("sun.net.httpserver.maxReqTime", Long.toString(seconds)));
        System.setProperty("sun.net.httpserver.maxRspTime",
                System.getProperty("sun.net.httpserver.maxRspTime", Long.toString(seconds)));
        BertServer server;
        try {
            server = BertServer.start(model, heads, options);
        } catch (IllegalArgumentException e) {
            throw new UsageException("serve: " + e.getMessage());
        }
        // SIGTERM and Ctrl-C run the shutdown hooks: stop gracefully there, then end with 0, since stopping on a
        // signal is how a server is meant to stop (the JVM's own status after SIGTERM would be 143).
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("bert4j-serve-stop").unstarted(() -> {
            console.err().println("bert4j serve: stopping: no new connections; finishing the requests in progress");
            server.close();
            console.err().println("bert4j serve: stopped");
            console.out().flush();
            console.err().flush();
            Runtime.getRuntime().halt(Main.OK);
        }));
        console.err().println("bert4j serve: " + model + (heads == null ? "" : " with the heads in " + heads)
                + "; listening on " + server.uri() + (options.apiKey() == null ? "" : " (API key required)"));
        console.err().flush();
        server.awaitClosed();
        return Main.OK;
    }

    private static Path headsFolder(CommandLine args) {
        String given = args.get("heads");
        if (given == null) {
            return null;
        }
        Path folder = Path.of(given);
        if (!Files.isDirectory(folder)) {
            throw new UsageException("serve: heads folder not found: " + folder);
        }
        if (!Files.isRegularFile(folder.resolve(HeadsFolder.JSON))) {
            throw new UsageException("serve: not a heads folder: " + folder + " has no " + HeadsFolder.JSON
                    + " (write one with 'bert4j train')");
        }
        return folder;
    }

    private static ServerOptions options(CommandLine args) {
        ServerOptions d = ServerOptions.defaults();
        String apiKey = args.get("api-key", System.getenv("BERT4J_API_KEY"));
        if (apiKey != null && apiKey.isBlank()) {
            throw new UsageException("serve: the API key must not be blank");
        }
        int maxInputLength = args.getInt("max-input-length", 0, 2, 1 << 20);
        return new ServerOptions(args.get("host", d.host()), args.getInt("port", d.port(), 0, 65535),
                args.getInt("max-batch-tokens", d.maxBatchTokens(), 2, Integer.MAX_VALUE),
                args.getInt("max-batch-requests", 0, 1, Integer.MAX_VALUE),
                args.getInt("max-client-batch-size", d.maxClientBatchSize(), 1, 1 << 20),
                args.getInt("max-concurrent-requests", d.maxConcurrentRequests(), 1, 1 << 20), maxInputLength,
                args.has("auto-truncate"), args.getInt("payload-limit", d.payloadLimit(), 1, Integer.MAX_VALUE - 8),
                Duration.ofSeconds(args.getInt("request-timeout", (int) d.requestTimeout().toSeconds(), 1, 86_400)),
                apiKey, args.get("served-model-name"), args.getInt("threads", 0, 1, 4096));
    }
}
