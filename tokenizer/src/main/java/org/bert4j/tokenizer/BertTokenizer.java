package org.bert4j.tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * BERT's WordPiece tokenizer, giving the same ids, masks and offsets as Hugging Face's
 * {@code BertTokenizerFast}: text → {@link Encoding}, and ids → text.
 *
 * <p>Thread-safe, and immutable but for building its fast path on first need: load once, share everywhere.
 * <pre>{@code
 * BertTokenizer tokenizer = BertTokenizer.load(modelDir);
 * Encoding e = tokenizer.encode("Hello, world!");   // [CLS] hello , world ! [SEP]
 * }</pre>
 */
public final class BertTokenizer {
    /**
     * How many characters a tokenizer encodes step by step before it builds its fused fast path (see {@link
     * #encoderFor}): about a thousand sentences. In a fresh JVM that is where the two break even (the
     * pipeline took ~75 ms of CPU for 64 K characters of news headlines; building the trie and encoding
     * them on the fast path, ~110 ms); once warm, either is a few milliseconds.
     */
    static final long STEP_BY_STEP_CHARS = 65_536;

    private final TokenizerParts parts;
    private final PipelineEncoder pipeline;
    private final boolean fastPathAllowed;
    /** Characters left for the pipeline before the fast path is built. */
    private final AtomicLong stepByStepBudget;
    /** The fused encoder, once built; never changes after. */
    private volatile FusedEncoder fused;
    private final EncodingAssembler assembler;
    private final boolean[] specialIds;

    private BertTokenizer(TokenizerParts parts) {
        this(parts, true, STEP_BY_STEP_CHARS);
    }

    private BertTokenizer(TokenizerParts parts, boolean fast, long stepByStepChars) {
        this.parts = parts;
        this.pipeline = new PipelineEncoder(parts.addedTokens(), parts.normalizer(), parts.model());
        this.fastPathAllowed = fast && FusedEncoder.supports(parts.model());
        this.stepByStepBudget = new AtomicLong(stepByStepChars);
        this.assembler = new EncodingAssembler(parts.postProcessor(), parts.vocabulary(), parts.padId(),
                parts.padTypeId());
        this.specialIds = new boolean[parts.vocabulary().idBound()];
        for (AddedTokens.Token t : parts.addedTokens().tokens()) {
            if (t.special()) {
                specialIds[t.id()] = true;
            }
        }
    }

    /**
     * The encoder for {@code text}: the fused single-pass one once this tokenizer has had some work, the
     * step-by-step pipeline before. Building the fused encoder's trie (with failure links over the whole
     * vocabulary) costs tens of milliseconds in a fresh JVM, more than the pipeline takes for a few
     * sentences, so a command that loads a model to embed one sentence does not wait for it. Both give
     * the same encodings (tested on the oracle corpus); only the speed differs.
     */
    private SequenceEncoder encoderFor(String text) {
        FusedEncoder f = fused;
        if (f != null) {
            return f;
        }
        if (!fastPathAllowed || stepByStepBudget.addAndGet(-text.length()) >= 0) {
            return pipeline;
        }
        return buildFastPath();
    }

    private synchronized FusedEncoder buildFastPath() {
        if (fused == null) {
            fused = new FusedEncoder(parts.addedTokens(), new CharTable(parts.normalizer()),
                    FastWordPiece.build(parts.model().vocabulary(), parts.model().continuingPrefix()),
                    parts.model(), pipeline);
        }
        return fused;
    }

    /** Whether this tokenizer has built its fused fast path yet (for tests). */
    boolean hasFastPath() {
        return fused != null;
    }

    /** The same tokenizer running the plain step-by-step pipeline, which the fast path is tested against. */
    BertTokenizer stepByStep() {
        return new BertTokenizer(parts, false, 0);
    }

    /** The same tokenizer using its fused fast path from the first text on (for tests). */
    BertTokenizer fastPathFromTheStart() {
        return new BertTokenizer(parts, true, 0);
    }

    /**
     * Loads the tokenizer of a model folder: its tokenizer.json if there is one, else its vocab.txt (with
     * tokenizer_config.json, when present, for do_lower_case, strip_accents and model_max_length).
     */
    public static BertTokenizer load(Path modelDir) throws IOException {
        Path json = modelDir.resolve("tokenizer.json");
        Path vocab = modelDir.resolve("vocab.txt");
        Path config = modelDir.resolve("tokenizer_config.json");
        if (Files.isRegularFile(json)) {
            return new BertTokenizer(TokenizerJson.read(json)
                    .withModelMaxLength(VocabFiles.readConfig(config, 512).modelMaxLength()));
        }
        if (Files.isRegularFile(vocab)) {
            VocabFiles.Config c = VocabFiles.readConfig(config, 512);
            return new BertTokenizer(VocabFiles.read(vocab, c.normalizer(), c.modelMaxLength()));
        }
        throw new TokenizerFormatException(modelDir, "tokenizer.json",
                "the folder has neither tokenizer.json nor vocab.txt");
    }

    /** Loads a Hugging Face tokenizer.json; the model's maximum length is taken to be 512 tokens. */
    public static BertTokenizer fromTokenizerJson(Path file) throws IOException {
        return new BertTokenizer(TokenizerJson.read(file));
    }

    /** Loads a Hugging Face tokenizer.json, with the model's maximum length in tokens. */
    public static BertTokenizer fromTokenizerJson(Path file, int modelMaxLength) throws IOException {
        return new BertTokenizer(TokenizerJson.read(file).withModelMaxLength(positive(modelMaxLength)));
    }

    /**
     * Loads a BERT vocab.txt, with tokenizer_config.json from the same folder if there is one (else the
     * uncased defaults and a maximum length of 512).
     */
    public static BertTokenizer fromVocab(Path vocabTxt) throws IOException {
        Path dir = vocabTxt.toAbsolutePath().getParent();
        VocabFiles.Config c = VocabFiles.readConfig(dir.resolve("tokenizer_config.json"), 512);
        return fromVocab(vocabTxt, c.normalizer(), c.modelMaxLength());
    }

    /** Loads a BERT vocab.txt with the given normalization (e.g. {@link BertNormalizer#cased()}) and maximum length. */
    public static BertTokenizer fromVocab(Path vocabTxt, BertNormalizer normalizer, int modelMaxLength)
            throws IOException {
        Objects.requireNonNull(normalizer, "normalizer");
        return new BertTokenizer(VocabFiles.read(vocabTxt, normalizer, positive(modelMaxLength)));
    }

    private static int positive(int modelMaxLength) {
        if (modelMaxLength < 1) {
            throw new IllegalArgumentException("modelMaxLength must be >= 1, got " + modelMaxLength);
        }
        return modelMaxLength;
    }

    /** Encodes one text with the default options: special tokens, truncation to {@link #modelMaxLength()}. */
    public Encoding encode(String text) {
        return encode(text, EncodeOptions.defaults());
    }

    /** Encodes one text. */
    public Encoding encode(String text, EncodeOptions options) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(options, "options");
        int maxLength = maxLength(options);
        TokenBuffer tokens = tokenize(text, options, maxLength, false);
        Encoding e = assembler.assemble(tokens, null, options, maxLength);
        return padAlone(e, options, maxLength);
    }

    /** Encodes a pair of texts (question and passage, two sentences...) with the default options. */
    public Encoding encodePair(String first, String second) {
        return encodePair(first, second, EncodeOptions.defaults());
    }

    /** Encodes a pair of texts: {@code [CLS] first [SEP] second [SEP]}, the second with type id 1. */
    public Encoding encodePair(String first, String second, EncodeOptions options) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        Objects.requireNonNull(options, "options");
        int maxLength = maxLength(options);
        TokenBuffer a = tokenize(first, options, maxLength, true);
        TokenBuffer b = tokenize(second, options, maxLength, true);
        return padAlone(assembler.assemble(a, b, options, maxLength), options, maxLength);
    }

    /** Encodes several texts; with {@link Padding#LONGEST} they are padded to the longest of them. */
    public List<Encoding> encodeBatch(List<String> texts, EncodeOptions options) {
        Objects.requireNonNull(texts, "texts");
        Objects.requireNonNull(options, "options");
        List<Encoding> out = new ArrayList<>(texts.size());
        EncodeOptions unpadded = options.withPadding(Padding.NONE);
        for (String text : texts) {
            out.add(encode(text, unpadded));
        }
        return padBatch(out, options);
    }

    /** Encodes several pairs of texts ({@code firsts.get(i)} with {@code seconds.get(i)}). */
    public List<Encoding> encodePairBatch(List<String> firsts, List<String> seconds, EncodeOptions options) {
        Objects.requireNonNull(options, "options");
        if (firsts.size() != seconds.size()) {
            throw new IllegalArgumentException("firsts has " + firsts.size() + " texts but seconds has "
                    + seconds.size());
        }
        List<Encoding> out = new ArrayList<>(firsts.size());
        EncodeOptions unpadded = options.withPadding(Padding.NONE);
        for (int i = 0; i < firsts.size(); i++) {
            out.add(encodePair(firsts.get(i), seconds.get(i), unpadded));
        }
        return padBatch(out, options);
    }

    private List<Encoding> padBatch(List<Encoding> encodings, EncodeOptions options) {
        if (options.padding() == Padding.NONE || encodings.isEmpty()) {
            return encodings;
        }
        int target = maxLength(options);
        if (options.padding() == Padding.LONGEST) {
            target = 0;
            for (Encoding e : encodings) {
                target = Math.max(target, e.length());
            }
        }
        target = EncodingAssembler.roundUp(target, options.padToMultipleOf());
        List<Encoding> padded = new ArrayList<>(encodings.size());
        for (Encoding e : encodings) {
            padded.add(assembler.pad(e, target));
        }
        return padded;
    }

    private Encoding padAlone(Encoding e, EncodeOptions options, int maxLength) {
        return switch (options.padding()) {
            case NONE -> e;
            case LONGEST -> assembler.pad(e, EncodingAssembler.roundUp(e.length(), options.padToMultipleOf()));
            case MAX_LENGTH -> assembler.pad(e, EncodingAssembler.roundUp(maxLength, options.padToMultipleOf()));
        };
    }

    private TokenBuffer tokenize(String text, EncodeOptions options, int maxLength, boolean pair) {
        TokenBuffer tokens = new TokenBuffer(text.length() / 4 + 8);
        // A single text can stop once the rest would be truncated away; a pair needs both full lengths
        // to decide which one to cut.
        int limit = Integer.MAX_VALUE;
        if (!pair && options.truncation() != Truncation.NONE) {
            limit = maxLength - assembler.addedTokens(false, options.addSpecialTokens()) + 1;
        }
        encoderFor(text).encode(text, tokens, Math.max(limit, 1));
        return tokens;
    }

    private int maxLength(EncodeOptions options) {
        return options.maxLength() == 0 ? parts.modelMaxLength() : options.maxLength();
    }

    /**
     * Turns ids back into text: continuation pieces ("##ing") glued to the previous token, spaces elsewhere,
     * as Hugging Face's WordPiece decoder does.
     *
     * @throws IllegalArgumentException if an id is not in the vocabulary
     */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        Objects.requireNonNull(ids, "ids");
        List<String> tokens = new ArrayList<>(ids.length);
        for (int id : ids) {
            String token = parts.vocabulary().token(id);
            if (token == null) {
                throw new IllegalArgumentException("id " + id + " is not in the vocabulary (size " + vocabSize() + ")");
            }
            if (!(skipSpecialTokens && specialIds[id])) {
                tokens.add(token);
            }
        }
        return parts.decoder() == null ? String.join(" ", tokens) : parts.decoder().decode(tokens);
    }

    /** The number of tokens in the vocabulary, added tokens included. */
    public int vocabSize() {
        return parts.vocabulary().size();
    }

    /** The id of {@code token}, or -1 if it is not in the vocabulary. */
    public int tokenToId(String token) {
        return parts.vocabulary().id(token);
    }

    /** The token with id {@code id}, or null if there is none. */
    public String idToToken(int id) {
        return parts.vocabulary().token(id);
    }

    /** The padding token's id, or -1 if the vocabulary has none. */
    public int padId() {
        return parts.padId();
    }

    /** The id of the classification token [CLS], or -1. */
    public int clsId() {
        return parts.vocabulary().id("[CLS]");
    }

    /** The id of the separator token [SEP], or -1. */
    public int sepId() {
        return parts.vocabulary().id("[SEP]");
    }

    /** The id of the unknown token [UNK]. */
    public int unkId() {
        return parts.model().unkId();
    }

    /** The id of the mask token [MASK], or -1. */
    public int maskId() {
        return parts.vocabulary().id("[MASK]");
    }

    /** The longest input the model takes, in tokens, special tokens included (what maxLength 0 means). */
    public int modelMaxLength() {
        return parts.modelMaxLength();
    }

    /** The normalization this tokenizer applies. */
    public BertNormalizer normalizer() {
        return parts.normalizer();
    }
}
