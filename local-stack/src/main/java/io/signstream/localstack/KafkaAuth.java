package io.signstream.localstack;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * How clients authenticate to a local broker. {@link #NONE}: a PLAINTEXT listener, anyone may do anything (the
 * default local stack). {@link #scram}: a SASL_PLAINTEXT listener with SCRAM-SHA-512 for the services' principals
 * (the mechanism deploy/ uses, over TLS there), ACLs enforced by KRaft's StandardAuthorizer, and one super user for
 * the broker itself and the admin/test harness, which authenticates with PLAIN: its password lives in the broker's
 * own configuration (readable by the user only), so no credential has to exist in the cluster metadata before the
 * broker can start.
 */
public record KafkaAuth(boolean enabled, String superUser, String superUserPassword) {

    public static final KafkaAuth NONE = new KafkaAuth(false, null, null);
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";
    public static final String SUPER_USER_MECHANISM = "PLAIN";
    public static final String SUPER_USER = "signstream-admin";

    /** SASL with a fresh random password for the super user. */
    public static KafkaAuth scram() {
        return new KafkaAuth(true, SUPER_USER, randomPassword());
    }

    public static String randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The client settings of a service principal (SCRAM-SHA-512); none without authentication. */
    public Map<String, Object> clientProperties(String user, String password) {
        return enabled ? sasl(SCRAM_MECHANISM, "org.apache.kafka.common.security.scram.ScramLoginModule", user, password)
                : Map.of();
    }

    /** The client settings of the super user (PLAIN); none without authentication. */
    public Map<String, Object> superUserClientProperties() {
        return enabled ? sasl(SUPER_USER_MECHANISM, "org.apache.kafka.common.security.plain.PlainLoginModule", superUser,
                superUserPassword) : Map.of();
    }

    static String jaas(String loginModule, String user, String password) {
        return loginModule + " required username=\"" + user + "\" password=\"" + password + "\";";
    }

    private static Map<String, Object> sasl(String mechanism, String loginModule, String user, String password) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        properties.put(SaslConfigs.SASL_MECHANISM, mechanism);
        properties.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(loginModule, user, password));
        return properties;
    }

    @Override
    public String toString() {
        return enabled ? "KafkaAuth[SASL, super user " + superUser + "]" : "KafkaAuth[none]";
    }
}
