package org.bert4j.engine.jvm;

import org.bert4j.engine.BertModel;

import java.nio.file.Path;

/** A child JVM's whole program: load the model folder in args[0] and say what happened, one line on stdout. */
public final class LoadOneModel {
    private LoadOneModel() {}

    public static void main(String[] args) {
        try (BertModel model = BertModel.load(Path.of(args[0]))) {
            System.out.println("loaded " + model.config().numHiddenLayers() + " layers");
        } catch (Throwable e) {
            System.out.println("failed " + e.getClass().getName() + ": " + e.getMessage());
            System.exit(3);
        }
    }
}
