package org.bert4j.spark;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.bert4j.heads.ClassPrediction;
import org.bert4j.heads.Head;
import org.bert4j.heads.HeadKind;
import org.bert4j.heads.MultiTaskModel;
import org.bert4j.heads.ner.Entity;

import java.util.List;
import java.util.Map;

/**
 * What a bert4j column holds, with its Spark type and the function name Spark SQL knows it by: a batch of texts in,
 * one Spark value per text out (the values a {@link Row} holds, e.g. a Spark ML vector or a nested row).
 */
enum Task {

    /** A sentence embedding: {@code vector} or {@code array<float>}. */
    EMBED("bert4j_embed") {
        @Override
        DataType outputType(Bert4jSparkOptions options) {
            return options.vectors() == VectorFormat.VECTOR ? SQLDataTypes.VectorType()
                    : DataTypes.createArrayType(DataTypes.FloatType, false);
        }

        @Override
        Object[] run(List<String> texts, Bert4jSparkOptions options, int threads) {
            float[][] vectors = ExecutorModels.encoder(options, threads).encode(texts);
            Object[] out = new Object[vectors.length];
            for (int i = 0; i < vectors.length; i++) {
                out[i] = options.vectors() == VectorFormat.VECTOR ? Vectors.dense(toDoubles(vectors[i])) : vectors[i];
            }
            return out;
        }
    },

    /** A classification head's answer: {@code struct<label, score, probabilities: map<label, probability>>}. */
    CLASSIFY("bert4j_classify") {
        @Override
        DataType outputType(Bert4jSparkOptions options) {
            return CLASS_TYPE;
        }

        @Override
        Object[] run(List<String> texts, Bert4jSparkOptions options, int threads) {
            MultiTaskModel model = ExecutorModels.heads(options, threads);
            List<ClassPrediction> predictions = model.classify(texts, headName(model, options, HeadKind.CLASSIFICATION));
            Object[] out = new Object[predictions.size()];
            for (int i = 0; i < out.length; i++) {
                ClassPrediction p = predictions.get(i);
                out[i] = RowFactory.create(p.label(), p.score(), scalaMap(p.probabilities()));
            }
            return out;
        }
    },

    /** A token-classification head's entities: {@code array<struct<label, start, end, text, score>>}. */
    NER("bert4j_ner") {
        @Override
        DataType outputType(Bert4jSparkOptions options) {
            return DataTypes.createArrayType(ENTITY_TYPE, false);
        }

        @Override
        Object[] run(List<String> texts, Bert4jSparkOptions options, int threads) {
            MultiTaskModel model = ExecutorModels.heads(options, threads);
            List<List<Entity>> entities = model.entities(texts,
                    headName(model, options, HeadKind.TOKEN_CLASSIFICATION));
            Object[] out = new Object[entities.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = entities.get(i).stream()
                        .map(e -> RowFactory.create(e.label(), e.start(), e.end(), e.text(), e.score()))
                        .toArray(Row[]::new);
            }
            return out;
        }
    };

    /** Spark's type of a classification result. */
    static final StructType CLASS_TYPE = new StructType()
            .add("label", DataTypes.StringType, false)
            .add("score", DataTypes.DoubleType, false)
            .add("probabilities", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, false), false);

    /** Spark's type of one entity: character offsets {@code [start, end)} into the text, as Hugging Face reports. */
    static final StructType ENTITY_TYPE = new StructType()
            .add("label", DataTypes.StringType, false)
            .add("start", DataTypes.IntegerType, false)
            .add("end", DataTypes.IntegerType, false)
            .add("text", DataTypes.StringType, false)
            .add("score", DataTypes.DoubleType, false);

    private final String functionName;

    Task(String functionName) {
        this.functionName = functionName;
    }

    /** The Spark SQL function's name. */
    String functionName() {
        return functionName;
    }

    /** The type of the column this task adds. */
    abstract DataType outputType(Bert4jSparkOptions options);

    /** One value per text, in order, from the model the options name (loaded on first use in this JVM). */
    abstract Object[] run(List<String> texts, Bert4jSparkOptions options, int threads);

    /** The head the options choose, or the heads folder's only head of this kind. */
    static String headName(MultiTaskModel model, Bert4jSparkOptions options, HeadKind kind) {
        if (options.task() != null) {
            Head head = model.head(options.task());
            if (head.kind() != kind) {
                throw new IllegalArgumentException("head '" + options.task() + "' of " + options.heads() + " is a "
                        + head.kind().id() + " head, not " + kind.id());
            }
            return options.task();
        }
        List<String> candidates = model.heads().values().stream().filter(h -> h.kind() == kind).map(Head::name)
                .toList();
        if (candidates.size() != 1) {
            throw new IllegalArgumentException(options.heads() + " has " + candidates.size() + " " + kind.id()
                    + " heads " + candidates + ": choose one with Bert4jSparkOptions.withTask(name)");
        }
        return candidates.getFirst();
    }

    private static double[] toDoubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /** Spark's rows hold Scala maps; the label order of the head is kept. */
    private static scala.collection.Map<String, Double> scalaMap(Map<String, Double> map) {
        return scala.jdk.javaapi.CollectionConverters.asScala(map);
    }
}
