package io.signstream.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A service's configuration as Quarkus sees it in a pod: its application.properties (read from the
 * module at test time) for the prod profile, overridden by the container's environment the
 * MicroProfile way (signstream.object-store.endpoint <- SIGNSTREAM_OBJECT_STORE_ENDPOINT), with
 * ${NAME:default} expressions expanded.
 *
 * <p>What the service reads: every key of application.properties, every ${NAME} it references, and every
 * {@code @ConfigProperty(name = ...)} in its main sources (so a key read in code with no value in the
 * file and no default still has to come from the pod's environment).
 */
final class ServiceConfig {

    private static final Pattern CONFIG_PROPERTY = Pattern.compile(
            "@ConfigProperty\\s*\\(([^)]*)\\)\\s*(?:final\\s+)?([\\w.]+)");
    private static final Pattern NAME_ARGUMENT = Pattern.compile("name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern DEFAULT_ARGUMENT = Pattern.compile("defaultValue\\s*=\\s*\"([^\"]*)\"");
    private static final Pattern CONFIG_MAPPING = Pattern.compile("@ConfigMapping\\s*\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern MAPPING_METHOD = Pattern.compile(
            "(@WithDefault\\(\\s*\"([^\"]*)\"\\s*\\)\\s*)?(?:@\\w+(?:\\([^)]*\\))?\\s*)*([\\w.]+(?:<[^;(]*>)?)\\s+(\\w+)\\(\\)\\s*;");
    private static final String PROFILE = "prod";

    final String service;
    /** Keys with their prod-profile values from application.properties, before the environment. */
    final Map<String, String> fileValues;
    /**
     * Keys read in code (@ConfigProperty, @ConfigMapping) with the default the code gives them; null when
     * the code gives none and the type is not Optional (Quarkus then refuses to start without a value).
     */
    final Map<String, String> readInCode;
    /** Keys read in code that may stay unset (Optional, Instance, Provider). */
    final Set<String> optionalInCode;

    private ServiceConfig(String service, Map<String, String> fileValues, Map<String, String> readInCode,
            Set<String> optionalInCode) {
        this.service = service;
        this.fileValues = fileValues;
        this.readInCode = readInCode;
        this.optionalInCode = optionalInCode;
    }

    static ServiceConfig of(String service) {
        Path file = Repository.applicationProperties(service);
        if (!Files.isRegularFile(file)) {
            throw new AssertionError(service + " has no " + Repository.root().relativize(file)
                    + ": the deploy tests check the manifests against it");
        }
        Map<String, String> readInCode = new TreeMap<>();
        Set<String> optional = new LinkedHashSet<>();
        scanCode(service, readInCode, optional);
        return new ServiceConfig(service, prodProfile(Repository.read(file)), readInCode, optional);
    }

    /** From properties text alone (no code scan): for testing the resolution rules themselves. */
    static ServiceConfig fromText(String service, String propertiesText, Map<String, String> readInCode) {
        return new ServiceConfig(service, prodProfile(propertiesText), readInCode, Set.of());
    }

    /** The file's keys for the prod profile: %prod.key (or %a,prod.key) wins over key; other profiles dropped. */
    static Map<String, String> prodProfile(String propertiesText) {
        Properties raw = new Properties();
        try {
            raw.load(new StringReader(propertiesText));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> plain = new TreeMap<>();
        Map<String, String> profiled = new TreeMap<>();
        for (String key : raw.stringPropertyNames()) {
            String value = raw.getProperty(key);
            if (key.startsWith("%")) {
                int dot = key.indexOf('.');
                List<String> profiles = List.of(key.substring(1, dot).split(","));
                if (profiles.contains(PROFILE)) {
                    profiled.put(key.substring(dot + 1), value);
                }
            } else if (key.startsWith("\"%")) {
                int close = key.indexOf('"', 1);
                List<String> profiles = List.of(key.substring(2, close).split(","));
                if (profiles.contains(PROFILE)) {
                    profiled.put(key.substring(close + 2), value);
                }
            } else {
                plain.put(key, value);
            }
        }
        plain.putAll(profiled);
        return Collections.unmodifiableMap(plain);
    }

    /**
     * The service's own code and that of the project's libraries it depends on: a library's @ConfigMapping (e.g.
     * checkpoint-store's ObjectStoreConfig) is read by the service that uses it.
     */
    private static void scanCode(String service, Map<String, String> readInCode, Set<String> optional) {
        scanModule(service, readInCode, optional);
        Path pom = Repository.module(service).resolve("pom.xml");
        if (Files.isRegularFile(pom)) {
            Matcher dependency = Pattern.compile("<artifactId>([\\w.-]+)</artifactId>").matcher(Repository.read(pom));
            while (dependency.find()) {
                String module = dependency.group(1);
                if (!module.equals(service) && Files.isRegularFile(Repository.module(module).resolve("pom.xml"))) {
                    scanModule(module, readInCode, optional);
                }
            }
        }
    }

    private static void scanModule(String module, Map<String, String> readInCode, Set<String> optional) {
        Path sources = Repository.module(module).resolve("src/main/java");
        if (!Files.isDirectory(sources)) {
            return;
        }
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String code = Files.readString(file);
                Matcher m = CONFIG_PROPERTY.matcher(code);
                while (m.find()) {
                    Matcher name = NAME_ARGUMENT.matcher(m.group(1));
                    if (name.find()) {
                        Matcher fallback = DEFAULT_ARGUMENT.matcher(m.group(1));
                        record(name.group(1), fallback.find() ? fallback.group(1) : null, m.group(2), readInCode, optional);
                    }
                }
                Matcher mapping = CONFIG_MAPPING.matcher(code);
                if (mapping.find()) {
                    // A method returning an interface declared in the same file is a group (e.g. retry()), not a
                    // value: its own members carry the defaults. They are recorded under the mapping's prefix
                    // without the group's name, which is good enough to see that each has a default.
                    Set<String> groups = new java.util.HashSet<>();
                    Matcher nested = Pattern.compile("\\binterface\\s+(\\w+)").matcher(code.substring(mapping.end()));
                    while (nested.find()) {
                        groups.add(nested.group(1));
                    }
                    Matcher method = MAPPING_METHOD.matcher(code.substring(mapping.end()));
                    while (method.find()) {
                        if (groups.contains(method.group(3))) {
                            continue;
                        }
                        record(mapping.group(1) + "." + kebab(method.group(4)), method.group(2), method.group(3),
                                readInCode, optional);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void record(String key, String fallback, String type, Map<String, String> readInCode,
            Set<String> optional) {
        readInCode.put(key, fallback);
        if (type.startsWith("Optional") || type.endsWith("Optional") || type.startsWith("Instance")
                || type.startsWith("Provider")) {
            optional.add(key);
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** MicroProfile's environment name of a key: non-alphanumerics to '_', upper case. */
    static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** Every key this service reads, from the file and from code. */
    Set<String> keys() {
        Set<String> keys = new LinkedHashSet<>(fileValues.keySet());
        keys.addAll(readInCode.keySet());
        keys.addAll(referencedNames());
        return keys;
    }

    /** Names used inside ${...} expressions of the file (env var names or other keys). */
    Set<String> referencedNames() {
        Set<String> names = new LinkedHashSet<>();
        for (String value : fileValues.values()) {
            collectReferences(value, names);
        }
        return names;
    }

    /** Whether an environment variable of this name is read by this service. */
    boolean reads(String environmentVariable) {
        for (String key : keys()) {
            if (key.equals(environmentVariable) || envName(key).equals(environmentVariable)) {
                return true;
            }
        }
        return kafkaClientSetting(environmentVariable) != null;
    }

    /** Every setting name of Kafka's producer, consumer and admin clients. */
    static final Set<String> KAFKA_CLIENT_SETTINGS = kafkaClientSettingNames();

    private static Set<String> kafkaClientSettingNames() {
        Set<String> names = new java.util.TreeSet<>(org.apache.kafka.clients.producer.ProducerConfig.configNames());
        names.addAll(org.apache.kafka.clients.consumer.ConsumerConfig.configNames());
        names.addAll(org.apache.kafka.clients.admin.AdminClientConfig.configNames());
        return Collections.unmodifiableSet(names);
    }

    /**
     * The Kafka client setting a KAFKA_* variable sets in this service (KAFKA_SASL_JAAS_CONFIG: sasl.jaas.config), or
     * null. Quarkus' Kafka extension hands every kafka.* key and every KAFKA_* variable, as the setting it names, to
     * each Kafka client of the service (its default-kafka-broker configuration): such a variable is read when the
     * service uses Kafka and the name is a setting Kafka's clients have, so a misspelt one is still caught.
     */
    String kafkaClientSetting(String environmentVariable) {
        if (!environmentVariable.startsWith("KAFKA_") || !keys().contains("kafka.bootstrap.servers")) {
            return null;
        }
        String setting = environmentVariable.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
        return KAFKA_CLIENT_SETTINGS.contains(setting) ? setting : null;
    }

    /** The Kafka client settings this service's clients get in a pod with this environment (kafka.* keys and KAFKA_*). */
    Map<String, String> kafkaClientSettings(Map<String, String> environment) {
        Map<String, String> settings = new TreeMap<>();
        fileValues.forEach((key, value) -> {
            if (key.startsWith("kafka.")) {
                settings.put(key.substring("kafka.".length()), value);
            }
        });
        environment.forEach((name, value) -> {
            String setting = kafkaClientSetting(name);
            if (setting != null) {
                settings.put(setting, value);
            }
        });
        return settings;
    }

    /** The configuration the service sees with this environment; unresolvable values are reported, not guessed. */
    Effective resolve(Map<String, String> environment) {
        Map<String, String> values = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        Set<String> read = new LinkedHashSet<>(fileValues.keySet());
        read.addAll(readInCode.keySet());
        for (String key : read) {
            String raw = lookup(key, environment);
            if (raw == null) {
                raw = readInCode.get(key);
            }
            if (raw == null) {
                // quarkus.* keys have the framework's own defaults.
                if (!optionalInCode.contains(key) && !key.startsWith("quarkus.")) {
                    problems.add(key + " is read with no default and the pod does not set " + envName(key));
                }
                continue;
            }
            try {
                values.put(key, expand(raw, environment, new LinkedHashSet<>(List.of(key))));
            } catch (IllegalStateException e) {
                problems.add(key + ": " + e.getMessage());
            }
        }
        return new Effective(values, problems);
    }

    private String lookup(String key, Map<String, String> environment) {
        for (String candidate : List.of(key, key.replaceAll("[^A-Za-z0-9]", "_"), envName(key))) {
            if (environment.containsKey(candidate)) {
                return environment.get(candidate);
            }
        }
        return fileValues.get(key);
    }

    private String expand(String value, Map<String, String> environment, Set<String> resolving) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            int start = value.indexOf("${", i);
            if (start < 0 || (start > 0 && value.charAt(start - 1) == '\\')) {
                out.append(value.substring(i));
                break;
            }
            out.append(value, i, start);
            int end = matchingBrace(value, start + 1);
            String expression = value.substring(start + 2, end);
            int colon = expression.indexOf(':');
            String name = colon < 0 ? expression : expression.substring(0, colon);
            String fallback = colon < 0 ? null : expression.substring(colon + 1);
            if (!resolving.add(name)) {
                throw new IllegalStateException("${" + name + "} refers to itself");
            }
            String found = lookup(name, environment);
            if (found == null || found.isEmpty()) {
                if (fallback == null) {
                    throw new IllegalStateException("${" + name + "} has no default and the pod does not set "
                            + (name.equals(envName(name)) ? name : envName(name)));
                }
                found = fallback;
            }
            out.append(expand(found, environment, resolving));
            resolving.remove(name);
            i = end + 1;
        }
        return out.toString();
    }

    private static int matchingBrace(String value, int open) {
        int depth = 0;
        for (int i = open; i < value.length(); i++) {
            if (value.charAt(i) == '{') {
                depth++;
            } else if (value.charAt(i) == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalStateException("unbalanced ${ in '" + value + "'");
    }

    private static void collectReferences(String value, Set<String> names) {
        int i = 0;
        while ((i = value.indexOf("${", i)) >= 0) {
            int end = matchingBrace(value, i + 1);
            String expression = value.substring(i + 2, end);
            int colon = expression.indexOf(':');
            names.add(colon < 0 ? expression : expression.substring(0, colon));
            if (colon >= 0) {
                collectReferences(expression.substring(colon + 1), names);
            }
            i = end + 1;
        }
    }

    /** Resolved values by key, and what could not be resolved. */
    record Effective(Map<String, String> values, List<String> problems) {

        String get(String key) {
            return values.get(key);
        }

        Map<String, String> withPrefix(String prefix) {
            Map<String, String> selected = new LinkedHashMap<>();
            values.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    selected.put(k, v);
                }
            });
            return selected;
        }
    }
}
