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
 * as deploy/README.md shows, and no manifest carries a credential as a literal value.
 */
class SecretsTest {

    /** The Secrets README.md tells the operator to create, with the keys the workloads read from them. */
    static final Map<String, Set<String>> EXTERNAL_SECRETS = Map.of(
            "signstream-object-store", Set.of("access-key", "secret-key"),
            "signstream-minio-root", Set.of("root-user", "root-password"),
            // not a credential, but the identity provider's: who issues tokens and the key that verifies them
            "signstream-auth", Set.of("issuer", "publicKey.pem"));

    private static final Pattern CREDENTIAL = Pattern.compile(
            "(?i).*(PASSWORD|SECRET|ACCESS_KEY|ACCESS-KEY|TOKEN|ROOT_USER|CREDENTIAL|API_KEY).*");

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
                    refs.computeIfAbsent(volume.path("secret").path("secretName").asText(), k -> new TreeSet<>());
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
        assertEquals(EXTERNAL_SECRETS.keySet(), refs.keySet(),
                overlay + ": the Secrets the workloads use must be exactly the documented external ones");
        refs.forEach((secret, keys) -> assertTrue(EXTERNAL_SECRETS.get(secret).containsAll(keys),
                overlay + " reads keys " + keys + " of Secret " + secret + "; documented: " + EXTERNAL_SECRETS.get(secret)));
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
