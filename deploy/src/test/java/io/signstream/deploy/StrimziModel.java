package io.signstream.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * What Strimzi's own model says about its API versions, read the way Strimzi's CRD generator reads it.
 *
 * <p>The model classes of {@code io.strimzi:api} carry the generator's annotations: {@code @Crd} on each
 * custom resource (group, kind, and the versions served and stored) and {@code @PresentInVersions("v1beta2")}
 * (a range: {@code v1beta2}, {@code v1alpha1-v1beta2}, {@code v1+}) on the getters, public fields and
 * subtypes that exist only in some versions. The generator ({@code crdgenerator.Property#properties} and
 * {@code #subtypes} of Strimzi 0.51.0) writes a property or a {@code type:} alternative into a version's
 * schema exactly when it has no {@code @PresentInVersions} or its range contains that version; nothing else
 * removes a property ({@code @DeprecatedProperty} only adds a note to the description). So a property the
 * v1 schema lacks is one whose {@code @PresentInVersions} range does not contain v1.
 *
 * <p>Those annotation types live in {@code io.strimzi:crd-generator}, a build-time dependency of the api jar
 * that is not published: reflection cannot see annotations whose types are missing, so they are read from
 * the class files here (ASM).
 */
final class StrimziModel {

    /** The version the checks are made for: the only one Strimzi 1.2.0 serves. */
    static final String VERSION = "v1";

    private static final String CRD = "Lio/strimzi/crdgenerator/annotations/Crd;";
    private static final String PRESENT_IN_VERSIONS = "Lio/strimzi/crdgenerator/annotations/PresentInVersions;";

    /** One version a {@code @Crd} lists. */
    record Version(String name, boolean served, boolean storage) {
    }

    /** A custom resource's {@code @Crd}: its API group, kind and versions. */
    record Crd(String group, String kind, Map<String, Version> versions) {
    }

    /** The annotations of one class file that matter here. */
    private record ClassInfo(Crd crd, String presentInVersions, Map<String, String> membersPresentInVersions) {
    }

    private static final Map<Class<?>, ClassInfo> CLASSES = new ConcurrentHashMap<>();

    private StrimziModel() {
    }

    static boolean isStrimziModel(Class<?> type) {
        return type.getName().startsWith("io.strimzi.api.");
    }

    /** The {@code @Crd} of a custom resource class, or null if it has none. */
    static Crd crd(Class<?> type) {
        return info(type).crd();
    }

    /** Whether a class (a {@code type:} alternative such as {@code JaegerTracing}) is in the v1 schema. */
    static boolean typeIsInV1(Class<?> type) {
        return isPresentInV1(info(type).presentInVersions());
    }

    /**
     * Whether a method (a getter) or public field declared by {@code owner} is a property of the v1 schema.
     * Strimzi annotates the most specific public getter, the one a bean property's accessor is.
     */
    static boolean memberIsInV1(Class<?> owner, String memberName) {
        return isPresentInV1(info(owner).membersPresentInVersions().get(memberName));
    }

    /** The {@code @PresentInVersions} range of a class, or null; for messages. */
    static String presentInVersionsOf(Class<?> type) {
        return info(type).presentInVersions();
    }

    /** The {@code @PresentInVersions} range of a member, or null; for messages. */
    static String presentInVersions(Class<?> owner, String memberName) {
        return info(owner).membersPresentInVersions().get(memberName);
    }

    private static boolean isPresentInV1(String range) {
        return range == null || rangeContains(range, VERSION);
    }

    /** {@code io.strimzi.api.annotations.VersionRange}'s forms: all, empty, vX, vX+, vX-vY. */
    static boolean rangeContains(String range, String version) {
        switch (range) {
            case "all":
                return true;
            case "empty":
                return false;
            default:
                break;
        }
        int[] v = parseVersion(version);
        if (range.endsWith("+")) {
            return compare(parseVersion(range.substring(0, range.length() - 1)), v) <= 0;
        }
        int dash = range.indexOf('-');
        if (dash < 0) {
            return compare(parseVersion(range), v) == 0;
        }
        return compare(parseVersion(range.substring(0, dash)), v) <= 0
                && compare(v, parseVersion(range.substring(dash + 1))) <= 0;
    }

    private static final Pattern API_VERSION = Pattern.compile("v([0-9]+)(?:(alpha|beta)([0-9]+))?");

    /** v1alpha1 < v1beta1 < v1beta2 < v1 < v2alpha1: major, then stability (alpha, beta, stable), then minor. */
    private static int[] parseVersion(String version) {
        Matcher m = API_VERSION.matcher(version);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a Kubernetes API version: " + version);
        }
        int stability = m.group(2) == null ? 2 : "beta".equals(m.group(2)) ? 1 : 0;
        return new int[] {Integer.parseInt(m.group(1)), stability, m.group(3) == null ? 0 : Integer.parseInt(m.group(3))};
    }

    private static int compare(int[] a, int[] b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        return 0;
    }

    private static ClassInfo info(Class<?> type) {
        return CLASSES.computeIfAbsent(type, StrimziModel::read);
    }

    private static ClassInfo read(Class<?> type) {
        String resource = type.getName().replace('.', '/') + ".class";
        ClassLoader loader = type.getClassLoader() != null ? type.getClassLoader() : ClassLoader.getSystemClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no class file for " + type.getName());
            }
            Reader reader = new Reader();
            new ClassReader(in).accept(reader, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            return new ClassInfo(reader.crd(), reader.presentInVersions, Map.copyOf(reader.members));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }

    /** Collects {@code @Crd} and the {@code @PresentInVersions} of the class and of its methods and fields. */
    private static final class Reader extends ClassVisitor {
        private final Map<String, Object> crd = new HashMap<>();
        private boolean hasCrd;
        private String presentInVersions;
        private final Map<String, String> members = new HashMap<>();

        Reader() {
            super(Opcodes.ASM9);
        }

        @Override
        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            if (CRD.equals(descriptor)) {
                hasCrd = true;
                return new Values(crd);
            }
            if (PRESENT_IN_VERSIONS.equals(descriptor)) {
                return value(range -> presentInVersions = range);
            }
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            if ((access & (Opcodes.ACC_BRIDGE | Opcodes.ACC_SYNTHETIC)) != 0) {
                return null;
            }
            return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
                    return PRESENT_IN_VERSIONS.equals(annotation) ? value(range -> members.put(name, range)) : null;
                }
            };
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            if ((access & Opcodes.ACC_PUBLIC) == 0 || (access & Opcodes.ACC_STATIC) != 0) {
                return null;
            }
            return new FieldVisitor(Opcodes.ASM9) {
                @Override
                public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
                    return PRESENT_IN_VERSIONS.equals(annotation) ? value(range -> members.put(name, range)) : null;
                }
            };
        }

        private static AnnotationVisitor value(java.util.function.Consumer<String> range) {
            return new AnnotationVisitor(Opcodes.ASM9) {
                @Override
                public void visit(String name, Object value) {
                    if ("value".equals(name)) {
                        range.accept((String) value);
                    }
                }
            };
        }

        /** @Crd(spec = @Spec(group, names = @Names(kind), versions = {@Version(name, served, storage)})) */
        @SuppressWarnings("unchecked")
        Crd crd() {
            if (!hasCrd) {
                return null;
            }
            Map<String, Object> spec = (Map<String, Object>) crd.get("spec");
            Map<String, Object> names = (Map<String, Object>) spec.get("names");
            Map<String, Version> versions = new LinkedHashMap<>();
            for (Object v : (List<Object>) spec.getOrDefault("versions", List.of())) {
                Map<String, Object> version = (Map<String, Object>) v;
                String name = (String) version.get("name");
                versions.put(name, new Version(name, Boolean.TRUE.equals(version.get("served")),
                        Boolean.TRUE.equals(version.get("storage"))));
            }
            return new Crd((String) spec.get("group"), (String) names.get("kind"), versions);
        }
    }

    /** An annotation's values as maps (nested annotations) and lists (arrays). */
    private static final class Values extends AnnotationVisitor {
        private final Map<String, Object> into;
        private final List<Object> list;

        Values(Map<String, Object> into) {
            super(Opcodes.ASM9);
            this.into = into;
            this.list = null;
        }

        Values(List<Object> list) {
            super(Opcodes.ASM9);
            this.into = null;
            this.list = list;
        }

        private void put(String name, Object value) {
            if (list != null) {
                list.add(value);
            } else {
                into.put(name, value);
            }
        }

        @Override
        public void visit(String name, Object value) {
            put(name, value);
        }

        @Override
        public void visitEnum(String name, String descriptor, String value) {
            put(name, value);
        }

        @Override
        public AnnotationVisitor visitAnnotation(String name, String descriptor) {
            Map<String, Object> nested = new HashMap<>();
            put(name, nested);
            return new Values(nested);
        }

        @Override
        public AnnotationVisitor visitArray(String name) {
            List<Object> array = new ArrayList<>();
            put(name, array);
            return new Values(array);
        }
    }
}
