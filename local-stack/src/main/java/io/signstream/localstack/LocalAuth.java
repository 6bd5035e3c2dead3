package io.signstream.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;

/**
 * The local stack's token issuer: an RSA key pair in one folder ({@code private.pem} readable only by the user,
 * {@code public.pem}) and RS256 bearer tokens signed with it. The services verify them exactly as they verify an
 * IdP's tokens on Kubernetes (MicroProfile JWT: issuer, signature, expiry; roles from {@code groups}); only the
 * key's origin differs.
 */
public final class LocalAuth {

    public static final String ISSUER = "signstream-local";
    private static final String PRIVATE_KEY = "private.pem";
    private static final String PUBLIC_KEY = "public.pem";

    private static final String SHARED_PROPERTY = "signstream.localauth.shared";

    private final Path directory;
    private final PrivateKey privateKey;

    /**
     * One issuer per JVM for tests, in a temporary folder; found again through a system property from the new class
     * loader of a restarted Quarkus application, so tokens signed before a restart stay valid after it.
     */
    public static synchronized LocalAuth shared() {
        String directory = System.getProperty(SHARED_PROPERTY);
        try {
            if (directory == null) {
                directory = Files.createTempDirectory("signstream-auth-").toString();
                System.setProperty(SHARED_PROPERTY, directory);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return in(Path.of(directory));
    }

    private LocalAuth(Path directory, PrivateKey privateKey) {
        this.directory = directory;
        this.privateKey = privateKey;
    }

    /** The key pair in {@code directory}, created there first when absent. */
    public static LocalAuth in(Path directory) {
        try {
            Path privateFile = directory.resolve(PRIVATE_KEY);
            if (!Files.exists(privateFile)) {
                create(directory);
            }
            String pem = Files.readString(privateFile, StandardCharsets.US_ASCII);
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
            return new LocalAuth(directory,
                    KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the local token key pair in " + directory, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the local token key in " + directory + " is not an RSA key", e);
        }
    }

    private static void create(Path directory) throws IOException, GeneralSecurityException {
        Files.createDirectories(directory);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Path privateFile = directory.resolve(PRIVATE_KEY);
        // Created empty with owner-only permissions before the key is written, so it is never readable by others.
        Files.createFile(privateFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
        Files.writeString(directory.resolve(PUBLIC_KEY), pem("PUBLIC KEY", pair.getPublic().getEncoded()),
                StandardCharsets.US_ASCII);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    public Path publicKey() {
        return directory.resolve(PUBLIC_KEY);
    }

    /** A token for {@code subject} with these roles in {@code groups}, valid for {@code lifetime}. */
    public String token(String subject, Collection<String> roles, Duration lifetime) {
        return Jwt.issuer(ISSUER).subject(subject).upn(subject).groups(Set.copyOf(roles))
                .expiresIn(lifetime).sign(privateKey);
    }

    /** What a service needs to verify these tokens (MicroProfile JWT settings). */
    public Map<String, String> serviceConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("mp.jwt.verify.publickey.location", publicKey().toUri().toString());
        config.put("mp.jwt.verify.issuer", ISSUER);
        return config;
    }
}
