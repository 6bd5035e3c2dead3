package io.signstream.deploy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The API the manifests are applied to, as registry packages model it: the Kubernetes API (fabric8's
 * kubernetes-model), Strimzi's kafka.strimzi.io/v1 (Strimzi's own api jar) and the Prometheus
 * Operator's monitoring.coreos.com/v1 (fabric8's monitoring model). Each object is read strictly, the way
 * {@code kubectl apply --validate=strict} reads it: an apiVersion/kind these APIs do not serve, a field
 * the type does not have, or a value of the wrong type (a string for a number, a number for a string, a
 * name outside an enum) is a problem.
 *
 * <p>Strimzi: the manifests target Strimzi 1.2.0, whose api jar is Java 21 bytecode; the tests run on
 * Java 17, so the model is Strimzi 0.51.0's api jar (pom.xml, strimzi.model.version), which serves the
 * same kafka.strimzi.io/v1 next to v1beta2. Only its v1 is used: the apiVersion must be
 * {@link #STRIMZI_API_VERSION}, which its {@code @Crd} must list as served, and every property and
 * {@code type:} alternative Strimzi leaves out of the v1 schema ({@link StrimziModel}) is removed from
 * the strict reader, so writing one fails as an unknown field. Fields added to v1 after 0.51.0 cannot be
 * validated (they fail as unknown).
 */
final class ApiModel {

    private static final List<String> TYPES = List.of(
            "io.fabric8.kubernetes.api.model.Namespace",
            "io.fabric8.kubernetes.api.model.ConfigMap",
            "io.fabric8.kubernetes.api.model.Service",
            "io.fabric8.kubernetes.api.model.PersistentVolumeClaim",
            "io.fabric8.kubernetes.api.model.apps.Deployment",
            "io.fabric8.kubernetes.api.model.apps.StatefulSet",
            "io.fabric8.kubernetes.api.model.batch.v1.Job",
            "io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler",
            "io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy",
            "io.fabric8.kubernetes.api.model.networking.v1.Ingress",
            "io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget",
            "io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor",
            "io.fabric8.openshift.api.model.monitoring.v1.PodMonitor",
            "io.strimzi.api.kafka.model.kafka.Kafka",
            "io.strimzi.api.kafka.model.nodepool.KafkaNodePool",
            "io.strimzi.api.kafka.model.topic.KafkaTopic",
            "io.strimzi.api.kafka.model.user.KafkaUser");

    /** The only Strimzi API version Strimzi 1.2.0 (pom.xml, strimzi.version) serves; the manifests must use it. */
    static final String STRIMZI_API_VERSION = "kafka.strimzi.io/" + StrimziModel.VERSION;

    private static final ObjectMapper STRICT = strictMapper();
    private static volatile Map<String, Class<?>> byApiVersionAndKind;

    private ApiModel() {
    }

    /** "apiVersion kind" of every type the manifests may use, from the models' own annotations. */
    static Map<String, Class<?>> types() {
        if (byApiVersionAndKind == null) {
            Map<String, Class<?>> types = new LinkedHashMap<>();
            for (String name : TYPES) {
                Class<? extends HasMetadata> type = load(name);
                types.put(apiVersion(type) + " " + kind(type), type);
            }
            byApiVersionAndKind = types;
        }
        return byApiVersionAndKind;
    }

    /**
     * fabric8 types: their own {@code @Group}/{@code @Version}. Strimzi's: {@link #STRIMZI_API_VERSION}, which
     * their {@code @Crd} must serve (0.51.0's fabric8 {@code @Version} names v1beta2, its storage version).
     */
    private static String apiVersion(Class<? extends HasMetadata> type) {
        if (!StrimziModel.isStrimziModel(type)) {
            return HasMetadata.getApiVersion(type);
        }
        StrimziModel.Crd crd = StrimziModel.crd(type);
        if (crd == null) {
            throw new IllegalStateException(type.getName() + " has no @Crd: not a Strimzi custom resource");
        }
        StrimziModel.Version v1 = crd.versions().get(StrimziModel.VERSION);
        if (!STRIMZI_API_VERSION.equals(crd.group() + "/" + StrimziModel.VERSION) || v1 == null || !v1.served()) {
            throw new IllegalStateException("Strimzi " + System.getProperty("strimzi.model.version") + "'s " + crd.kind()
                    + " does not serve " + STRIMZI_API_VERSION + " (its @Crd: group " + crd.group() + ", versions "
                    + crd.versions().values() + "): it cannot validate the manifests for Strimzi "
                    + System.getProperty("strimzi.version"));
        }
        return STRIMZI_API_VERSION;
    }

    private static String kind(Class<? extends HasMetadata> type) {
        return StrimziModel.isStrimziModel(type) ? StrimziModel.crd(type).kind() : HasMetadata.getKind(type);
    }

    private static Class<? extends HasMetadata> load(String name) {
        try {
            return Class.forName(name).asSubclass(HasMetadata.class);
        } catch (UnsupportedClassVersionError e) {
            throw new IllegalStateException(name + " needs a newer Java than " + Runtime.version()
                    + ": the API models must be Java 17 bytecode (pom.xml, strimzi.model.version)", e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("model class " + name + " is not on the test classpath", e);
        }
    }

    /** What is wrong with one rendered object; empty when the API accepts it as written. */
    static List<String> problems(JsonNode object) {
        String id = object.path("apiVersion").asText() + " " + object.path("kind").asText();
        String where = id + " " + Manifests.name(object);
        Class<?> type = types().get(id);
        if (type == null) {
            return List.of(where + ": no such apiVersion/kind in the pinned APIs (" + types().keySet() + ")");
        }
        List<String> problems = new ArrayList<>();
        try {
            JsonNode readBack = STRICT.valueToTree(STRICT.treeToValue(object, type));
            if (StrimziModel.isStrimziModel(type) && readBack.isObject()) {
                // The apiVersion was checked above (the types' key); 0.51.0's classes write their storage version back.
                ((ObjectNode) readBack).set("apiVersion", object.path("apiVersion"));
            }
            compare(object, readBack, "", where, problems);
        } catch (JsonMappingException e) {
            problems.add(where + " at " + path(e) + ": " + e.getOriginalMessage());
        } catch (Exception e) {
            problems.add(where + ": " + e);
        }
        return problems;
    }

    /** Every value written must come back from the typed object: what a model drops it did not accept. */
    private static void compare(JsonNode written, JsonNode read, String path, String where, List<String> problems) {
        if (written.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = written.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                String at = path + "." + field.getKey();
                if (!read.has(field.getKey())) {
                    if (!isEmpty(field.getValue())) {
                        problems.add(where + " at " + at + ": not accepted (the model dropped " + field.getValue() + ")");
                    }
                } else {
                    compare(field.getValue(), read.get(field.getKey()), at, where, problems);
                }
            }
        } else if (written.isArray()) {
            if (!read.isArray() || read.size() != written.size()) {
                problems.add(where + " at " + path + ": list read back as " + read);
                return;
            }
            for (int i = 0; i < written.size(); i++) {
                compare(written.get(i), read.get(i), path + "[" + i + "]", where, problems);
            }
        } else if (!written.asText().equals(read.asText())) {
            problems.add(where + " at " + path + ": " + written + " read back as " + read);
        }
    }

    /** Values a model may leave out when writing back because they equal the default (Strimzi's deleteClaim: false). */
    private static boolean isEmpty(JsonNode node) {
        return (node.isContainerNode() && node.isEmpty()) || node.isNull()
                || (node.isBoolean() && !node.asBoolean()) || (node.isIntegralNumber() && node.asLong() == 0);
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            path.append(ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]");
        }
        return path.toString();
    }

    /**
     * Jackson reading as the API server does: unknown fields fail (the models' catch-all
     * additionalProperties setter is removed), and no value is coerced to another type. Strimzi's
     * properties and {@code type:} alternatives that are not in its v1 schema are removed, so writing one
     * fails as an unknown field or type.
     */
    private static ObjectMapper strictMapper() {
        SimpleModule noCatchAll = new SimpleModule().setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription bean,
                    BeanDeserializerBuilder builder) {
                builder.setAnySetter(null);
                builder.setIgnoreUnknownProperties(false);
                if (StrimziModel.isStrimziModel(bean.getBeanClass())) {
                    for (BeanPropertyDefinition property : bean.findProperties()) {
                        AnnotatedMember accessor = property.hasGetter() ? property.getGetter() : property.getField();
                        if (accessor != null && StrimziModel.isStrimziModel(accessor.getDeclaringClass())
                                && !StrimziModel.memberIsInV1(accessor.getDeclaringClass(), accessor.getName())) {
                            builder.removeProperty(property.getFullName());
                        }
                    }
                }
                return builder;
            }

            @Override
            public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription bean,
                    JsonDeserializer<?> deserializer) {
                Class<?> type = bean.getBeanClass();
                if (StrimziModel.isStrimziModel(type) && !StrimziModel.typeIsInV1(type)) {
                    return new NotInV1(type);
                }
                return deserializer;
            }
        });
        ObjectMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .addModule(noCatchAll)
                .build();
        for (LogicalType type : LogicalType.values()) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    /** A Strimzi type (a {@code type:} alternative such as {@code jaeger} tracing) that its v1 schema does not have. */
    private static final class NotInV1 extends StdDeserializer<Object> {
        NotInV1(Class<?> type) {
            super(type);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            return context.reportInputMismatch(this, "%s is not in Strimzi's %s schema (@PresentInVersions(\"%s\"))",
                    handledType().getSimpleName(), STRIMZI_API_VERSION, StrimziModel.presentInVersionsOf(handledType()));
        }
    }
}
