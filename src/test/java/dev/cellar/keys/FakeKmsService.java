package dev.cellar.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A stand-in for AWS KMS, in test code only: AWS KMS cannot run on the test machines, so Cellar's
 * KMS path is tested against this small HTTP service speaking the subset of the KMS JSON 1.1
 * protocol Cellar uses ({@code X-Amz-Target: TrentService.Encrypt} and {@code TrentService.Decrypt}).
 * Like KMS it refuses a request whose AWS Signature Version 4 does not verify against the one
 * access key it knows, refuses a Decrypt whose encryption context differs from the Encrypt's
 * ({@code InvalidCiphertextException}), and answers {@code AccessDeniedException} for a key it
 * is told to deny. Its "KMS keys" are AES-256 keys held in this process.
 */
public final class FakeKmsService implements AutoCloseable {
    public static final String ACCESS_KEY_ID = "AKIDCELLARTEST";
    public static final String SECRET_ACCESS_KEY = "cellar-test-kms-secret-access-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, byte[]> keys = new ConcurrentHashMap<>();
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<String> unsigned = new CopyOnWriteArrayList<>();
    private final SecureRandom random = new SecureRandom();

    private FakeKmsService(HttpServer server) {
        this.server = server;
    }

    /** Starts the service on a free loopback port. */
    public static FakeKmsService start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        FakeKmsService kms = new FakeKmsService(server);
        server.createContext("/", kms::handle);
        server.start();
        return kms;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Creates a key under this id (an alias or an ARN, as Cellar is configured with). */
    public void createKey(String keyId) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        keys.put(keyId, key);
    }

    /** From now on, every request for this key is answered AccessDeniedException. */
    public void deny(String keyId) {
        denied.add(keyId);
    }

    /** The operations served, e.g. "Encrypt alias/cellar": what Cellar asked. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    /** Requests refused for a missing or wrong signature. */
    public List<String> unsignedRequests() {
        return List.copyOf(unsigned);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String signatureProblem = SigV4Check.problem(exchange, body, ACCESS_KEY_ID, SECRET_ACCESS_KEY);
            if (signatureProblem != null) {
                unsigned.add(target + ": " + signatureProblem);
                reply(exchange, 400, error("InvalidSignatureException", signatureProblem));
                return;
            }
            JsonNode request = JSON.readTree(body);
            String keyId = request.path("KeyId").asText(null);
            calls.add(target.substring(target.indexOf('.') + 1) + " " + keyId);
            if (keyId != null && denied.contains(keyId)) {
                reply(exchange, 400, error("AccessDeniedException", "User is not authorized to perform kms:* on " + keyId));
                return;
            }
            switch (target) {
                case "TrentService.Encrypt" -> encrypt(exchange, request, keyId);
                case "TrentService.Decrypt" -> decrypt(exchange, request, keyId);
                default -> reply(exchange, 400, error("UnsupportedOperationException", target + " is not served by this test service"));
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private void encrypt(HttpExchange exchange, JsonNode request, String keyId) throws IOException, GeneralSecurityException {
        byte[] key = keys.get(keyId);
        if (key == null) {
            reply(exchange, 400, error("NotFoundException", "Key '" + keyId + "' does not exist"));
            return;
        }
        byte[] plaintext = Base64.getDecoder().decode(request.path("Plaintext").asText());
        byte[] iv = new byte[12];
        random.nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
        cipher.updateAAD(context(request));
        byte[] sealed = cipher.doFinal(plaintext);
        byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
        byte[] blob = ByteBuffer.allocate(2 + id.length + iv.length + sealed.length).putShort((short) id.length).put(id).put(iv).put(sealed).array();
        ObjectNode answer = JSON.createObjectNode();
        answer.put("CiphertextBlob", Base64.getEncoder().encodeToString(blob));
        answer.put("KeyId", keyId);
        answer.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
        reply(exchange, 200, answer);
    }

    private void decrypt(HttpExchange exchange, JsonNode request, String keyId) throws IOException, GeneralSecurityException {
        ByteBuffer blob = ByteBuffer.wrap(Base64.getDecoder().decode(request.path("CiphertextBlob").asText()));
        byte[] id = new byte[blob.getShort()];
        blob.get(id);
        String sealedBy = new String(id, StandardCharsets.UTF_8);
        if (keyId != null && !keyId.equals(sealedBy)) {
            reply(exchange, 400, error("IncorrectKeyException", "The key ID in the request does not identify the key used to encrypt the ciphertext"));
            return;
        }
        byte[] iv = new byte[12];
        blob.get(iv);
        byte[] sealed = new byte[blob.remaining()];
        blob.get(sealed);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keys.get(sealedBy), "AES"), new GCMParameterSpec(128, iv));
            cipher.updateAAD(context(request));
            byte[] plaintext = cipher.doFinal(sealed);
            ObjectNode answer = JSON.createObjectNode();
            answer.put("Plaintext", Base64.getEncoder().encodeToString(plaintext));
            answer.put("KeyId", sealedBy);
            answer.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
            reply(exchange, 200, answer);
        } catch (javax.crypto.AEADBadTagException wrongContextOrDamaged) {
            reply(exchange, 400, error("InvalidCiphertextException", null));
        }
    }

    /** The encryption context in a fixed order: KMS binds the ciphertext to it as associated data. */
    private static byte[] context(JsonNode request) {
        TreeMap<String, String> sorted = new TreeMap<>();
        request.path("EncryptionContext").fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
        return sorted.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static ObjectNode error(String type, String message) {
        ObjectNode error = JSON.createObjectNode();
        error.put("__type", type);
        if (message != null) {
            error.put("message", message);
        }
        return error;
    }

    private static void reply(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().set("x-amzn-RequestId", "test-" + System.nanoTime());
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** Verifies AWS Signature Version 4 on a request, the way KMS does: recomputes the signature from the signed headers and body. */
    static final class SigV4Check {
        private SigV4Check() {
        }

        /** Why the request's signature does not verify, or null when it does. */
        static String problem(HttpExchange exchange, byte[] body, String accessKeyId, String secret) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String amzDate = exchange.getRequestHeaders().getFirst("X-Amz-Date");
            if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ") || amzDate == null) {
                return "no AWS4-HMAC-SHA256 Authorization header";
            }
            Map<String, String> parts = new TreeMap<>();
            for (String part : authorization.substring("AWS4-HMAC-SHA256 ".length()).split(",\\s*")) {
                int equals = part.indexOf('=');
                parts.put(part.substring(0, equals).strip(), part.substring(equals + 1).strip());
            }
            String[] credential = parts.getOrDefault("Credential", "").split("/");
            if (credential.length != 5 || !credential[0].equals(accessKeyId) || !credential[3].equals("kms") || !credential[4].equals("aws4_request")) {
                return "credential scope is not <access key>/<date>/<region>/kms/aws4_request";
            }
            String signedHeaders = parts.getOrDefault("SignedHeaders", "");
            StringBuilder canonical = new StringBuilder(exchange.getRequestMethod()).append('\n')
                    .append(exchange.getRequestURI().getRawPath()).append('\n')
                    .append(exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery()).append('\n');
            for (String header : signedHeaders.split(";")) {
                List<String> values = exchange.getRequestHeaders().getOrDefault(header, new ArrayList<>());
                canonical.append(header).append(':').append(String.join(",", values.stream().map(v -> v.strip().replaceAll("\\s+", " ")).toList()))
                        .append('\n');
            }
            String payloadHash = exchange.getRequestHeaders().getFirst("X-Amz-Content-Sha256");
            canonical.append('\n').append(signedHeaders).append('\n').append(payloadHash != null ? payloadHash : hex(sha256(body)));
            String scope = String.join("/", credential[1], credential[2], credential[3], credential[4]);
            String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
            byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), credential[1]);
            key = hmac(key, credential[2]);
            key = hmac(key, credential[3]);
            key = hmac(key, credential[4]);
            String expected = hex(hmac(key, toSign));
            if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), parts.getOrDefault("Signature", "").getBytes(StandardCharsets.US_ASCII))) {
                return "the signature does not match";
            }
            if (payloadHash != null && !payloadHash.equals(hex(sha256(body)))) {
                return "the body does not match its signed hash";
            }
            return null;
        }

        private static byte[] sha256(byte[] data) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(data);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        private static byte[] hmac(byte[] key, String data) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        private static String hex(byte[] bytes) {
            return HexFormat.of().formatHex(bytes);
        }
    }
}
