package io.signstream.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import com.fasterxml.jackson.databind.JsonNode;

import io.signstream.contract.Topics;
import io.signstream.localstack.KafkaAuth;

/** The user-level steps over the running services: publish a folder, train, evaluate. Each follows its job to the end. */
final class Workflow {

    /** The normalization service's consumer group (its default); committed offsets tell what it has handled. */
    static final String NORMALIZATION_GROUP = "signstream-normalization";
    private static final Set<String> RUN_ENDED = Set.of("COMPLETED", "FAILED", "STOPPED");
    private static final Set<String> JOB_ENDED = Set.of("COMPLETED", "FAILED");
    /** An import also ends INTERRUPTED: the ingest instance that ran it stopped or died first. */
    private static final Set<String> IMPORT_ENDED = Set.of("COMPLETED", "FAILED", "INTERRUPTED");

    private final StackState stack;
    private final Progress progress;
    private final ServiceClient ingest;
    private final ServiceClient trainer;
    private final ServiceClient evaluator;

    Workflow(StackState stack, Progress progress) {
        this.stack = stack;
        this.progress = progress;
        this.ingest = stack.client(ServiceSpec.INGEST);
        this.trainer = stack.client(ServiceSpec.TRAINER);
        this.evaluator = stack.client(ServiceSpec.EVALUATOR);
    }

    /** Bulk-imports a PHOENIX-layout folder and waits until the normalization service has handled every record. */
    JsonNode publish(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException(directory + " is not a directory");
        }
        JsonNode job = ingest.post("/imports", Map.of("directory", directory.toAbsolutePath().toString()));
        String id = job.path("id").asText();
        progress.stage("import " + id + " of " + directory + " started");
        long lastReport = 0;
        while (!IMPORT_ENDED.contains(job.path("status").asText())) {
            Stack.sleep(1000);
            job = ingest.get("/imports/" + id);
            if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(5)) {
                lastReport = System.nanoTime();
                progress.stage(String.format("publishing: %d/%d samples, %d refused%s", job.path("processed").asInt(),
                        job.path("total").asInt(), job.path("refused").asInt(), eta(job.path("etaSeconds"))));
            }
        }
        if (!"COMPLETED".equals(job.path("status").asText())) {
            throw new IllegalStateException("import " + id + " " + job.path("status").asText().toLowerCase(java.util.Locale.ROOT)
                    + ": " + job.path("failure").asText());
        }
        progress.stage(String.format("published %d samples to %s, %d refused", job.path("published").asInt(),
                Topics.FEATURES_RAW, job.path("refused").asInt()));
        for (JsonNode refused : job.path("refusedSamples")) {
            progress.stage("  refused " + refused.path("sampleId").asText() + ": " + refused.path("reason").asText()
                    + " - " + refused.path("detail").asText());
        }
        awaitNormalized(job.path("acceptedSamples"));
        return job;
    }

    /** Waits until the normalization group's committed offsets pass every record the import published. */
    private void awaitNormalized(JsonNode accepted) {
        Map<TopicPartition, Long> needed = new HashMap<>();
        for (JsonNode sample : accepted) {
            needed.merge(new TopicPartition(Topics.FEATURES_RAW, sample.path("partition").asInt()),
                    sample.path("offset").asLong() + 1, Math::max);
        }
        if (needed.isEmpty()) {
            return;
        }
        progress.stage("waiting for the normalization service to normalize " + accepted.size() + " samples");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        Map<String, Object> adminConfig = new HashMap<>(stack.kafkaClientProperties(KafkaAuth.SUPER_USER));
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (Admin admin = Admin.create(adminConfig)) {
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin
                        .listConsumerGroupOffsets(NORMALIZATION_GROUP).partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS);
                boolean done = needed.entrySet().stream().allMatch(n -> committed.get(n.getKey()) != null
                        && committed.get(n.getKey()).offset() >= n.getValue());
                if (done) {
                    progress.stage("normalization caught up: the normalized topics hold the data set");
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("normalization did not catch up within 10 minutes");
                }
                Stack.sleep(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot read the normalization group's offsets: " + e.getMessage(), e);
        }
    }

    /** Starts a run and follows it to its end, printing progress; returns the final run state and per-epoch learning rates. */
    TrainingFollow train(Map<String, Object> request) {
        JsonNode run = trainer.post("/runs", request);
        String runId = run.path("runId").asText();
        progress.stage("training run " + runId + " " + run.path("status").asText("queued").toLowerCase(java.util.Locale.ROOT)
                + ": the first free trainer takes it");
        List<Double> learningRates = new ArrayList<>();
        int lastEpochSeen = 0;
        long lastStepReported = -1;
        long lastReport = 0;
        while (!RUN_ENDED.contains(run.path("status").asText())) {
            Stack.sleep(1000);
            run = trainer.get("/runs/" + runId);
            int epochsDone = run.path("epochLosses").size();
            while (lastEpochSeen < epochsDone) {
                lastEpochSeen++;
                learningRates.add(run.path("learningRate").asDouble());
                progress.stage(String.format("epoch %d/%d done: mean loss %.4f", lastEpochSeen,
                        run.path("epochs").asInt(), run.path("epochLosses").get(lastEpochSeen - 1).asDouble()));
            }
            long step = run.path("step").asLong();
            if (step != lastStepReported && System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(10)) {
                lastReport = System.nanoTime();
                lastStepReported = step;
                progress.stage(String.format("epoch %d/%d step %d/%d loss %s grad-norm %s lr %s %s samples/s%s",
                        run.path("epoch").asInt(), run.path("epochs").asInt(), step, run.path("totalSteps").asLong(),
                        number(run.path("loss")), number(run.path("gradNorm")), number(run.path("learningRate")),
                        number(run.path("samplesPerSecond")), eta(run.path("etaSeconds"))));
            }
        }
        progress.stage("run " + runId + " " + run.path("status").asText()
                + (run.path("message").isMissingNode() || run.path("message").isNull() ? ""
                        : ": " + run.path("message").asText()));
        return new TrainingFollow(run, learningRates);
    }

    record TrainingFollow(JsonNode run, List<Double> learningRates) {
    }

    /** Queues an evaluation and waits for its result. */
    JsonNode evaluate(String runId, Object checkpoint, String split, int beamWidth) {
        Map<String, Object> decoder = beamWidth > 1 ? Map.of("type", "beam", "beamWidth", beamWidth)
                : Map.of("type", "greedy");
        JsonNode job = evaluator.post("/evaluations",
                Map.of("checkpoint", Map.of("run", runId, "epoch", checkpoint), "split", split, "decoder", decoder));
        String id = job.path("id").asText();
        progress.stage("evaluating " + runId + " (" + checkpoint + ") on " + split + ": job " + id);
        return awaitEvaluation(id);
    }

    JsonNode awaitEvaluation(String id) {
        JsonNode job = evaluator.get("/evaluations/" + id + "?size=1");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        while (!JOB_ENDED.contains(job.path("status").asText())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("evaluation " + id + " did not finish in 30 minutes");
            }
            Stack.sleep(1000);
            job = evaluator.get("/evaluations/" + id + "?size=1");
        }
        if (!"COMPLETED".equals(job.path("status").asText())) {
            throw new IllegalStateException("evaluation " + id + " failed: " + job.path("reason").asText() + " - "
                    + job.path("detail").asText());
        }
        return job;
    }

    /** Completed evaluations of a run, oldest first (the evaluator runs one on dev for every checkpoint). */
    JsonNode evaluations(String runId) {
        return evaluator.get("/evaluations?run=" + runId);
    }

    /** Waits until the evaluator has finished the automatic dev evaluation of every epoch up to {@code epochs}. */
    JsonNode awaitAutomaticEvaluations(String runId, int epochs, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode all = evaluations(runId);
            Set<Integer> evaluated = new java.util.HashSet<>();
            boolean pending = false;
            for (JsonNode evaluation : all) {
                String status = evaluation.path("status").asText();
                if ("dev".equals(evaluation.path("split").asText()) && JOB_ENDED.contains(status)) {
                    evaluated.add(evaluation.path("checkpoint").path("epoch").asInt());
                } else if (!JOB_ENDED.contains(status)) {
                    pending = true;
                }
            }
            if (evaluated.size() >= epochs && !pending) {
                return all;
            }
            if (System.nanoTime() > deadline) {
                progress.stage("automatic dev evaluations still incomplete (" + evaluated.size() + "/" + epochs + ")");
                return all;
            }
            Stack.sleep(1000);
        }
    }

    static String number(JsonNode value) {
        return value.isNumber() ? String.format("%.4g", value.asDouble()) : "-";
    }

    static String eta(JsonNode seconds) {
        if (!seconds.isNumber()) {
            return "";
        }
        long s = seconds.asLong();
        return String.format(", ETA %d:%02d", s / 60, s % 60);
    }
}
