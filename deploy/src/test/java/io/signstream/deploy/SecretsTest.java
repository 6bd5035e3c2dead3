package io.signstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Credentials never live in this repository: every Secret a workload refers to is created out of band,
 * as deploy/README.md shows, or by Strimzi's operators from a rendered object (a KafkaUser's credentials, the
 * cluster CA certificate), and no manifest carries a credential as a literal value.
 */
class SecretsTest {

    /** The Secrets README.md tells the operator to create, with the keys the workloads read from them. */
    static final Map<String, Set<String>> EXTERNAL_SECRETS = Map.of(
            // one MinIO user per service, each limited to its prefixes (bucket-setup in base/minio/minio.yaml)
            "signstream-object-store-trainer", Set.of("access-key", "secret-key"),
            "signstream-object-store-evaluator", Set.of("access-key", "secret-key"),
            "signstream-minio-root", Set.of("root-user", "root-password"),
            // not a credential, but the identity provider's: who issues tokens and the key that verifies them
            "signstream-auth", Set.of("issuer", "publicKey.pem"));

    private static final Pattern CREDENTIAL = Pattern.compile(
            "(?i).*(PASSWORD|SECRET|ACCESS_KEY|ACCESS-KEY|TOKEN|ROOT_USER|CREDENTIAL|API_KEY|JAAS).*");

    /**
     * The Secrets Strimzi creates from the rendered objects, with their keys: the User Operator one per KafkaUser
     * (named after it), the Cluster Operator the cluster CA certificate the clients trust.
     */
    static Map<String, Set<String>> operatorSecrets(Manifests m) {
        Map<String, Set<String>> secrets = new TreeMap<>();
        for (JsonNode user : m.ofKind("KafkaUser")) {
            secrets.put(Manifests.name(user), Set.of("password", "sasl.jaas.config"));
        }
        for (JsonNode kafka : m.ofKind("Kafka")) {
            secrets.put(Manifests.name(kafka) + "-cluster-ca-cert", Set.of("ca.crt", "ca.p12", "ca.password"));
        }
        return secrets;
    }

    static boolean looksLikeCredential(String name) {
        return CREDENTIAL.matcher(name).matches();
    }

    /** secret name -> keys referenced, over every workload of the overlay. */
    static Map<String, Set<String>> referencedSecrets(Manifests m) {
        Map<String, Set<String>> refs = new TreeMap<>();
        for (Map.Entry<String, JsonNode> workload : m.workloads().entrySet()) {
            for (JsonNode container : Manifests.containers(workload.getValue())) {
                for (JsonNode env : container.path("env")) {
                    JsonNode ref = env.path("valueFrom").path("secretKeyRef");
                    if (ref.isObject()) {
                        refs.computeIfAbsent(ref.path("name").asText(), k -> new TreeSet<>()).add(ref.path("key").asText());
                    }
                }
                for (JsonNode from : container.path("envFrom")) {
                    if (from.has("secretRef")) {
                        refs.computeIfAbsent(from.path("secretRef").path("name").asText(), k -> new TreeSet<>());
                    }
                }
            }
            for (JsonNode volume : Manifests.podSpec(workload.getValue()).path("volumes")) {
                if (volume.has("secret")) {
                    Set<String> keys = refs.computeIfAbsent(volume.path("secret").path("secretName").asText(),
                            k -> new TreeSet<>());
                    volume.path("secret").path("items").forEach(item -> keys.add(item.path("key").asText()));
                }
            }
        }
        return refs;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void everyReferencedSecretIsOneThatReadmeTellsHowToCreateWithThoseKeys(String overlay) {
        Manifests m = Manifests.overlay(overlay);
        Map<String, Set<String>> refs = referencedSecrets(m);
        Map<String, Set<String>> operator = operatorSecrets(m);
        Set<String> external = new TreeSet<>(refs.keySet());
        external.removeAll(operator.keySet());
        assertEquals(EXTERNAL_SECRETS.keySet(), external, overlay + ": the Secrets the workloads use must be exactly the "
                + "documented external ones and those Strimzi creates from the rendered objects " + operator.keySet());
        refs.forEach((secret, keys) -> {
            Set<String> known = operator.containsKey(secret) ? operator.get(secret) : EXTERNAL_SECRETS.get(secret);
            assertTrue(known.containsAll(keys), overlay + " reads keys " + keys + " of Secret " + secret + "; it has: " + known);
        });
    }

    /** Each KafkaUser's Secret holds that principal's password: only its own service's pod may read it. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void aKafkaUsersSecretIsReadByItsOwnServiceOnly(String overlay) {
        Manifests m = Manifests.overlay(overlay);
        for (JsonNode user : m.ofKind("KafkaUser")) {
            String secret = Manifests.name(user);
            List<String> readers = new ArrayList<>();
            for (Map.Entry<String, JsonNode> workload : m.workloads().entrySet()) {
                if (referencedSecretsOf(workload.getValue()).contains(secret)) {
                    readers.add(Manifests.name(workload.getValue()));
                }
            }
            assertTrue(readers.isEmpty() || readers.equals(List.of(secret)),
                    overlay + ": the credentials of Kafka principal " + secret + " are read by " + readers);
        }
    }

    private static Set<String> referencedSecretsOf(JsonNode workload) {
        Set<String> names = new TreeSet<>();
        for (JsonNode container : Manifests.containers(workload)) {
            for (JsonNode env : container.path("env")) {
                JsonNode ref = env.path("valueFrom").path("secretKeyRef");
                if (ref.isObject()) {
                    names.add(ref.path("name").asText());
                }
            }
        }
        for (JsonNode volume : Manifests.podSpec(workload).path("volumes")) {
            if (volume.has("secret")) {
                names.add(volume.path("secret").path("secretName").asText());
            }
        }
        return names;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu"})
    void noCredentialIsWrittenInAManifest(String overlay) {
        Manifests m = Manifests.overlay(overlay);
        assertTrue(m.ofKind("Secret").isEmpty(), overlay + " renders Secrets " + m.names("Secret")
                + ": credentials must be created out of band, not kept in the repository");
        List<String> literal = new ArrayList<>();
        for (Map.Entry<String, JsonNode> workload : m.workloads().entrySet()) {
            for (JsonNode container : Manifests.containers(workload.getValue())) {
                for (JsonNode env : container.path("env")) {
                    if (env.has("value") && looksLikeCredential(env.path("name").asText())) {
                        literal.add(workload.getKey() + " " + env.path("name").asText());
                    }
                }
            }
        }
        for (JsonNode configMap : m.ofKind("ConfigMap")) {
            configMap.path("data").fieldNames().forEachRemaining(key -> {
                if (looksLikeCredential(key)) {
                    literal.add("ConfigMap " + Manifests.name(configMap) + " " + key);
                }
            });
        }
        assertTrue(literal.isEmpty(), "credentials written as literal values: " + literal);
    }

    @Test
    void readmeShowsHowToCreateEachSecretWithEveryKey() {
        String readme = Repository.read(Repository.deployDir().resolve("README.md"));
        EXTERNAL_SECRETS.forEach((secret, keys) -> {
            String command = "kubectl create secret generic " + secret;
            int start = readme.indexOf(command);
            assertTrue(start >= 0, "README.md does not show `" + command + "`");
            int end = readme.indexOf("kubectl create secret", start + command.length());
            String block = readme.substring(start, end < 0 ? readme.length() : end);
            for (String key : keys) {
                assertTrue(block.contains("--from-literal=" + key + "=") || block.contains("--from-file=" + key + "="),
                        "README.md creates " + secret + " without key " + key);
            }
        });
    }
}
