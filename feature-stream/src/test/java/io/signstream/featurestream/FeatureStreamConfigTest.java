package io.signstream.featurestream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FeatureStreamConfigTest {

    @Test
    void onlyHowToConnectIsTakenFromTheServicesKafkaSettings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("bootstrap.servers", "signstream-kafka-bootstrap:9093");
        settings.put("security.protocol", "SASL_SSL");
        settings.put("sasl.mechanism", "SCRAM-SHA-512");
        settings.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        settings.put("ssl.truststore.type", "PEM");
        settings.put("ssl.truststore.location", "/etc/signstream/kafka-ca/ca.crt");
        settings.put("ssl.keystore.location", "");
        settings.put("max.poll.records", "500");
        settings.put("group.id", "someone");

        Map<String, Object> connection = FeatureStreamConfig.connectionSettings(settings);

        assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "ssl.truststore.type", "PEM", "ssl.truststore.location", "/etc/signstream/kafka-ca/ca.crt"), connection);
    }

    @Test
    void theConsumerAuthenticatesWithThemAndKeepsItsOwnTuning() {
        FeatureStreamConfig config = FeatureStreamConfig.of("broker:9093").withConsumerOverrides(
                FeatureStreamConfig.connectionSettings(Map.of("security.protocol", "SASL_SSL", "max.poll.records", "500")));

        Map<String, Object> consumer = FeatureStream.consumerProperties(config);

        assertEquals("SASL_SSL", consumer.get("security.protocol"));
        assertEquals(16, consumer.get("max.poll.records"));
        assertEquals("broker:9093", consumer.get("bootstrap.servers"));
    }
}
