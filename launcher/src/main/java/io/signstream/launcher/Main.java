package io.signstream.launcher;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code ./signstream <command>}: see {@link #USAGE}. */
public final class Main {

    static final String USAGE = String.join("\n",
            "usage: ./signstream <command>",
            "  up [--kafka-auth] [--trainers N] [--evaluators N]",
            "                   start Kafka, the object store and the four services (N trainer processes sharing",
            "                   the run queue, N evaluator replicas sharing their jobs; default 1 each); wait until",
            "                   ready. --kafka-auth (or SIGNSTREAM_KAFKA_AUTH=scram):",
            "                   Kafka with SASL and ACLs, each service its own principal",
            "  down             stop everything 'up' started",
            "  status           what runs, where",
            "  publish DIR      bulk-import a PHOENIX-layout folder through the ingest service",
            "  train [--epochs N] [--batch-size N] [--lr X] [--model small|default] [--seed N] [--max-frames N]",
            "                   queue a training run (any free trainer takes it) and follow it",
            "  eval RUN [--split dev|test] [--checkpoint latest|best|EPOCH] [--beam N]",
            "                   evaluate a run's checkpoint and print WER",
            "  demo [--tiny] [--data demo|signers] [--epochs N] [--glosses N] [--train-samples N] [--keep-up]\n                   synthetic data -> publish -> normalize -> train -> evaluate -> report\n                   (--data signers: the harder set, dev/test signed by signers training never sees)",
            "  token [--role publisher|trainer|evaluator|viewer]... [--hours N]",
            "                   print a bearer token of the local stack's issuer (default: every role, 12 hours)",
            "  test             run every test (handled by the ./signstream script)");

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            System.out.println(USAGE);
            return;
        }
        LauncherSettings settings = LauncherSettings.fromEnvironment(System.getenv());
        Progress progress = new Progress(System.out);
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            int exit = run(args[0], rest, settings, progress);
            System.exit(exit);
        } catch (IllegalArgumentException e) {
            System.err.println("signstream: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        } catch (RuntimeException e) {
            System.err.println("signstream: " + e.getMessage());
            System.exit(1);
        }
    }

    static int run(String command, List<String> args, LauncherSettings settings, Progress progress) {
        Stack stack = new Stack(settings, progress);
        switch (command) {
            case "up" -> {
                Options options = Options.parse(args, 0);
                Stack target = options.has("kafka-auth") ? new Stack(settings.withKafkaAuth(), progress) : stack;
                target.up(java.util.EnumSet.allOf(ServiceSpec.class), Map.of(
                        ServiceSpec.TRAINER, Integer.parseInt(options.get("trainers", "1")),
                        ServiceSpec.EVALUATOR, Integer.parseInt(options.get("evaluators", "1"))));
            }
            case "down" -> {
                return stack.down().isEmpty() ? 0 : 1;
            }
            case "status" -> stack.status().forEach(progress.out()::println);
            case "publish" -> {
                if (args.size() != 1) {
                    throw new IllegalArgumentException("publish needs one directory");
                }
                workflow(stack, progress).publish(java.nio.file.Path.of(args.get(0)));
            }
            case "train" -> {
                Options options = Options.parse(args, 0);
                Map<String, Object> request = new LinkedHashMap<>();
                options.ifPresent("run-id", v -> request.put("runId", v));
                options.ifPresent("epochs", v -> request.put("epochs", Integer.parseInt(v)));
                options.ifPresent("batch-size", v -> request.put("batchSize", Integer.parseInt(v)));
                options.ifPresent("lr", v -> request.put("learningRate", Double.parseDouble(v)));
                options.ifPresent("model", v -> request.put("model", v));
                options.ifPresent("seed", v -> request.put("seed", Long.parseLong(v)));
                options.ifPresent("max-frames", v -> request.put("maxFrames", Integer.parseInt(v)));
                var follow = workflow(stack, progress).train(request);
                return "COMPLETED".equals(follow.run().path("status").asText()) ? 0 : 1;
            }
            case "eval" -> {
                Options options = Options.parse(args, 1);
                if (options.positional().size() != 1) {
                    throw new IllegalArgumentException("eval needs a run id");
                }
                String checkpoint = options.get("checkpoint", "best");
                Object epoch = checkpoint.chars().allMatch(Character::isDigit) ? Integer.parseInt(checkpoint) : checkpoint;
                var result = workflow(stack, progress).evaluate(options.positional().get(0), epoch, options.get("split", "test"),
                        Integer.parseInt(options.get("beam", "1")));
                var scores = result.path("scores");
                progress.out().printf("%s WER %.2f%%  SER %.2f%%  S/D/I %d/%d/%d  N=%d  (checkpoint epoch %d, evaluation %s)%n",
                        result.path("split").asText(), 100 * scores.path("wer").asDouble(),
                        100 * scores.path("ser").asDouble(), scores.path("substitutions").asLong(),
                        scores.path("deletions").asLong(), scores.path("insertions").asLong(),
                        scores.path("referenceLength").asLong(), result.path("checkpoint").path("epoch").asInt(),
                        result.path("id").asText());
            }
            case "demo" -> {
                Options options = Options.parse(args, 0);
                Demo.Size size = Demo.size(options.get("data", "demo"), options.has("tiny"));
                if (options.has("epochs")) {
                    size = new Demo.Size(size.data(), Integer.parseInt(options.get("epochs", "")), size.batchSize(),
                            size.learningRate(), size.training());
                }
                if (options.has("glosses")) {
                    size = new Demo.Size(size.data().withVocabularySize(Integer.parseInt(options.get("glosses", ""))),
                            size.epochs(), size.batchSize(), size.learningRate(), size.training());
                }
                if (options.has("train-samples")) {
                    var data = size.data();
                    int train = Integer.parseInt(options.get("train-samples", ""));
                    size = new Demo.Size(data.withSamples(train, data.devSamples(), data.testSamples()), size.epochs(),
                            size.batchSize(), size.learningRate(), size.training());
                }
                new Demo(stack, settings, progress).run(size, options.has("keep-up"));
            }
            case "token" -> progress.out().println(LocalTokenCommand.token(settings, args));
            default -> throw new IllegalArgumentException("unknown command '" + command + "'");
        }
        return 0;
    }

    private static Workflow workflow(Stack stack, Progress progress) {
        StackState state = stack.state().filter(s -> stack.isUp())
                .orElseThrow(() -> new IllegalStateException("the stack is not up: run ./signstream up first"));
        return new Workflow(state, progress);
    }
}
