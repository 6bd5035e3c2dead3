package io.signstream.ingest.messaging;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the broker answers and the raw topic exists: otherwise every upload would end in 503. */
@Readiness
@ApplicationScoped
public class BrokerReadinessCheck implements HealthCheck {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @ConfigProperty(name = "signstream.topics.raw", defaultValue = "features.raw")
    String topic;
    @ConfigProperty(name = "signstream.ingest.health.broker-timeout-ms", defaultValue = "3000")
    int timeoutMs;

    private volatile Admin admin;

    @Override
    public HealthCheckResponse call() {
        try {
            int nodes = admin().describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
                    .nodes().get(timeoutMs, TimeUnit.MILLISECONDS).size();
            Map<String, TopicDescription> topics = admin()
                    .describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs(timeoutMs))
                    .allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS);
            return HealthCheckResponse.named("kafka-broker").up()
                    .withData("bootstrap.servers", bootstrapServers)
                    .withData("brokers", nodes)
                    .withData("topic", topic)
                    .withData("partitions", topics.get(topic).partitions().size())
                    .build();
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return HealthCheckResponse.named("kafka-broker").down()
                    .withData("bootstrap.servers", bootstrapServers)
                    .withData("topic", topic)
                    .withData("error", cause.getClass().getSimpleName() + ": " + cause.getMessage())
                    .build();
        }
    }

    private Admin admin() {
        Admin current = admin;
        if (current == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = Admin.create(Map.of(
                            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                            AdminClientConfig.CLIENT_ID_CONFIG, "feature-ingest-service-health",
                            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs));
                }
                current = admin;
            }
        }
        return current;
    }

    @PreDestroy
    void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(5));
        }
    }
}
