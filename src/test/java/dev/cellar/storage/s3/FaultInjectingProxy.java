package dev.cellar.storage.s3;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only HTTP proxy between Cellar and a real S3 server that misbehaves on cue. Each request
 * is matched against a plan of faults (method + a fragment of the target); a matching fault is
 * applied and used up. Bytes are relayed verbatim (the SigV4 signature covers the Host header and
 * stays valid); every request travels on its own upstream connection.
 *
 * <p>It can also play an S3-compatible server that predates the SDK's flexible checksums:
 * requests carrying them are refused the way S3Proxy 2.x refused them.
 */
public final class FaultInjectingProxy implements AutoCloseable {

    public enum Fault {
        /** 500 InternalError, the request not forwarded. */
        INTERNAL_ERROR,
        /** 503 SlowDown (throttling), the request not forwarded. */
        SLOW_DOWN,
        /** The connection reset (RST) without an answer, the request not forwarded. */
        RESET,
        /** The request forwarded (the server acts on it), then the connection reset instead of the answer. */
        RESET_AFTER_FORWARD,
        /** The response forwarded with its full Content-Length but only half its body, then the connection closed. */
        TRUNCATE_BODY,
        /** One byte at a random place of the response body flipped. */
        FLIP_BODY_BYTE,
        /** The answer held back for the fault's delay. */
        DELAY,
        /** An S3 error of the fault's status and code, the request not forwarded. */
        ERROR
    }

    private record Planned(String method, String targetPart, Fault fault, Duration delay, int status, String code, AtomicInteger remaining) {
        boolean matches(String m, String target) {
            return remaining.get() > 0 && (method == null || method.equals(m)) && target.contains(targetPart);
        }
    }

    private final ServerSocket server;
    private final String upstreamHost;
    private final int upstreamPort;
    private final List<Planned> plan = new CopyOnWriteArrayList<>();
    private final List<String> applied = new CopyOnWriteArrayList<>();
    private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean rejectFlexibleChecksums;
    private volatile Duration latency = Duration.ZERO;
    private final AtomicInteger requestsSeen = new AtomicInteger();
    /** Requests seen per kind ("PUT chunk", "HEAD wal", ...): where the round trips of a bench run went. */
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.LongAdder> tally = new java.util.concurrent.ConcurrentHashMap<>();
    /** The request number after which the server dies (see {@link #dieAfter}); 0 while it lives. */
    private final AtomicInteger diesAfter = new AtomicInteger();

    private FaultInjectingProxy(ServerSocket server, URI upstream) {
        this.server = server;
        this.upstreamHost = upstream.getHost();
        this.upstreamPort = upstream.getPort();
    }

    public static FaultInjectingProxy start(URI upstream) {
        return start(upstream, 0);
    }

    /** On a given loopback port (0: any free one). */
    public static FaultInjectingProxy start(URI upstream, int port) {
        try {
            ServerSocket server = new ServerSocket(port, 200, InetAddress.getLoopbackAddress());
            FaultInjectingProxy proxy = new FaultInjectingProxy(server, upstream);
            Thread acceptor = new Thread(proxy::acceptLoop, "fault-proxy-accept");
            acceptor.setDaemon(true);
            acceptor.start();
            return proxy;
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the fault proxy's port", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Applies {@code fault} to the next {@code times} requests with this method (null: any) whose target contains {@code targetPart}. */
    public FaultInjectingProxy inject(String method, String targetPart, Fault fault, int times) {
        return inject(method, targetPart, fault, Duration.ZERO, times);
    }

    public FaultInjectingProxy inject(String method, String targetPart, Fault fault, Duration delay, int times) {
        plan.add(new Planned(method, targetPart, fault, delay, 0, null, new AtomicInteger(times)));
        return this;
    }

    /** Answers the next {@code times} matching requests with an S3 error of this status and code. */
    public FaultInjectingProxy answer(String method, String targetPart, int status, String code, int times) {
        plan.add(new Planned(method, targetPart, Fault.ERROR, Duration.ZERO, status, code, new AtomicInteger(times)));
        return this;
    }

    /** Refuses requests with flexible-checksum headers, as S3-compatible servers without them do. */
    public void rejectFlexibleChecksums(boolean reject) {
        this.rejectFlexibleChecksums = reject;
    }

    /** Holds every answer back this long: a store across a network, for bench/s3.sh. */
    public FaultInjectingProxy withLatency(Duration latency) {
        this.latency = latency;
        return this;
    }

    /**
     * {@code FaultInjectingProxy UPSTREAM PORT LATENCY_MS}: runs until killed, adding the latency
     * to every request (bench/s3.sh, to measure Cellar against a store that is not on loopback).
     */
    public static void main(String[] args) throws InterruptedException {
        FaultInjectingProxy proxy = start(URI.create(args[0]), Integer.parseInt(args[1]))
                .withLatency(Duration.ofMillis(Long.parseLong(args[2])));
        System.out.println("latency proxy on " + proxy.endpoint() + " -> " + args[0] + ", " + args[2] + " ms per request");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("requests by kind: " + proxy.requestsByKind())));
        Thread.currentThread().join();
    }

    /**
     * Plays the server dying at a moment of the test's choosing, counted in requests from now: the
     * next {@code answered} requests are served; the one after is carried out by the server but
     * its answer never arrives (a write that landed unseen, as when a server is killed mid-request);
     * every later one finds its connection reset, until {@link #revive()}.
     */
    public void dieAfter(int answered) {
        diesAfter.set(requestsSeen.get() + Math.max(0, answered) + 1);
    }

    /** The server answers again (after {@link #dieAfter}). */
    public void revive() {
        diesAfter.set(0);
    }

    /** Whether the server has died (see {@link #dieAfter}). */
    public boolean dead() {
        int limit = diesAfter.get();
        return limit > 0 && requestsSeen.get() >= limit;
    }

    /** Requests received so far: how long an operation is, to pick a moment inside it. */
    public int requestsSeen() {
        return requestsSeen.get();
    }

    /** Requests seen so far by method and the repository folder they touch ("PUT chunks": 120), sorted. */
    public java.util.SortedMap<String, Long> requestsByKind() {
        java.util.SortedMap<String, Long> counts = new java.util.TreeMap<>();
        tally.forEach((kind, n) -> counts.put(kind, n.sum()));
        return counts;
    }

    /** Forgets the request counts. */
    public void resetRequestCounts() {
        tally.clear();
    }

    /** "PUT chunks", "HEAD wal", "GET ?list": the method and the first repository folder after the bucket and run prefix. */
    static String kindOf(String method, String target) {
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        String query = target.contains("?") ? target.substring(target.indexOf('?') + 1) : "";
        if (query.startsWith("uploads") || query.contains("uploadId") || query.contains("partNumber")) {
            return method + " multipart";
        }
        for (String folder : List.of("chunks/", "wal/", "backups/", "locks/", "keys/", "audit/", "archives/", "cellar.json")) {
            if (path.contains("/" + folder)) {
                return method + " " + folder.replace("/", "");
            }
        }
        if (query.contains("list-type") || query.contains("prefix=")) {
            return method + " list";
        }
        return method + " other";
    }

    /** Faults applied so far, as "FAULT METHOD target". */
    public List<String> applied() {
        return List.copyOf(applied);
    }

    /** Forgets the plan and what was applied. */
    public void reset() {
        plan.clear();
        applied.clear();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        connections.shutdownNow();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                connections.execute(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            Head request = Head.read(in);
            if (request == null) {
                return;
            }
            if ("100-continue".equalsIgnoreCase(request.header("expect"))) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            byte[] body = readBody(in, request);
            String[] line = request.startLine.split(" ");
            String method = line[0];
            String target = line[1];
            if (rejectFlexibleChecksums && usesFlexibleChecksums(request)) {
                applied.add("CHECKSUM_REJECTED " + method + " " + target);
                boolean upload = method.equals("PUT");
                writeError(out, upload ? 400 : 501, upload ? "XAmzContentSHA256Mismatch" : "NotImplemented",
                        upload ? "The provided 'x-amz-content-sha256' header does not match what was computed." : "A header you provided implies functionality that is not implemented.");
                return;
            }
            int number = requestsSeen.incrementAndGet();
            tally.computeIfAbsent(kindOf(method, target), k -> new java.util.concurrent.atomic.LongAdder()).increment();
            int limit = diesAfter.get();
            if (limit > 0 && number > limit) {
                applied.add("DEAD " + method + " " + target);
                client.setSoLinger(true, 0);
                return;
            }
            Planned fault = limit > 0 && number == limit
                    ? new Planned(method, target, Fault.RESET_AFTER_FORWARD, Duration.ZERO, 0, null, new AtomicInteger())
                    : take(method, target);
            if (fault != null) {
                applied.add(fault.fault + " " + method + " " + target);
                switch (fault.fault) {
                    case INTERNAL_ERROR -> {
                        writeError(out, 500, "InternalError", "We encountered an internal error. Please try again.");
                        return;
                    }
                    case SLOW_DOWN -> {
                        writeError(out, 503, "SlowDown", "Please reduce your request rate.");
                        return;
                    }
                    case RESET -> {
                        client.setSoLinger(true, 0);
                        return;
                    }
                    case ERROR -> {
                        writeError(out, fault.status, fault.code, "injected by the fault proxy");
                        return;
                    }
                    case DELAY -> Thread.sleep(fault.delay.toMillis());
                    default -> {
                        // applied to the response below
                    }
                }
            }
            if (!latency.isZero()) {
                Thread.sleep(latency.toMillis());
            }
            Response response = forward(request, body);
            if (fault != null && fault.fault == Fault.RESET_AFTER_FORWARD) {
                client.setSoLinger(true, 0);
                return;
            }
            if (fault != null && fault.fault == Fault.TRUNCATE_BODY && response.body.length > 1) {
                out.write(response.head);
                out.write(response.body, 0, response.body.length / 2);
                out.flush();
                client.setSoLinger(true, 0);
                return;
            }
            if (fault != null && fault.fault == Fault.FLIP_BODY_BYTE && response.body.length > 0) {
                response.body[ThreadLocalRandom.current().nextInt(response.body.length)] ^= 0x10;
            }
            out.write(response.head);
            out.write(response.body);
            out.flush();
        } catch (SocketException | EOFException e) {
            // the client gave up (its timeout) or reset: nothing to answer
        } catch (IOException | InterruptedException e) {
            // the test sees the effect through the client
        }
    }

    private Planned take(String method, String target) {
        for (Planned p : plan) {
            if (p.matches(method, target) && p.remaining.getAndDecrement() > 0) {
                return p;
            }
        }
        return null;
    }

    private static boolean usesFlexibleChecksums(Head request) {
        for (String[] header : request.headers) {
            String name = header[0].toLowerCase(Locale.ROOT);
            if (name.startsWith("x-amz-checksum-") || name.equals("x-amz-sdk-checksum-algorithm") || name.equals("x-amz-trailer")
                    || name.equals("x-amz-mp-object-size")
                    || (name.equals("x-amz-content-sha256") && header[1].contains("TRAILER"))) {
                return true;
            }
        }
        return false;
    }

    private Response forward(Head request, byte[] body) throws IOException {
        try (Socket upstream = new Socket(upstreamHost, upstreamPort)) {
            StringBuilder head = new StringBuilder(request.startLine).append("\r\n");
            for (String[] header : request.headers) {
                if (!header[0].equalsIgnoreCase("connection")) {
                    head.append(header[0]).append(": ").append(header[1]).append("\r\n");
                }
            }
            head.append("Connection: close\r\n\r\n");
            OutputStream out = upstream.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = upstream.getInputStream();
            Head response;
            do {
                response = Head.read(in);
                if (response == null) {
                    throw new EOFException("upstream closed without answering");
                }
            } while (response.startLine.split(" ")[1].startsWith("1")); // interim 100 Continue
            // one request per connection, so the client never reuses a connection this proxy is about to close
            StringBuilder answer = new StringBuilder(response.startLine).append("\r\n");
            for (String[] header : response.headers) {
                if (!header[0].equalsIgnoreCase("connection")) {
                    answer.append(header[0]).append(": ").append(header[1]).append("\r\n");
                }
            }
            answer.append("Connection: close\r\n\r\n");
            return new Response(answer.toString().getBytes(StandardCharsets.ISO_8859_1), in.readAllBytes());
        }
    }

    private static byte[] readBody(InputStream in, Head request) throws IOException {
        String length = request.header("content-length");
        if (length != null) {
            return in.readNBytes(Integer.parseInt(length.trim()));
        }
        if ("chunked".equalsIgnoreCase(request.header("transfer-encoding"))) {
            // relayed verbatim: read chunk by chunk up to the terminating zero-size chunk and trailers
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = Head.readLine(in);
                raw.writeBytes((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                if (size == 0) {
                    String trailer;
                    do {
                        trailer = Head.readLine(in);
                        raw.writeBytes((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    } while (!trailer.isEmpty());
                    return raw.toByteArray();
                }
                raw.writeBytes(in.readNBytes(size + 2));
            }
        }
        return new byte[0];
    }

    private static void writeError(OutputStream out, int status, String code, String message) throws IOException {
        byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                + "</Message><RequestId>fault-proxy</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + code + "\r\nContent-Type: application/xml\r\nContent-Length: " + xml.length
                + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(xml);
        out.flush();
    }

    private record Response(byte[] head, byte[] body) {
    }

    /** A request or response line and its headers, as received. */
    private record Head(String startLine, List<String[]> headers, byte[] raw) {
        static Head read(InputStream in) throws IOException {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            String start = readLine(in, raw);
            if (start == null) {
                return null;
            }
            List<String[]> headers = new ArrayList<>();
            String line;
            while (!(line = readLine(in, raw)).isEmpty()) {
                int colon = line.indexOf(':');
                headers.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
            }
            return new Head(start, headers, raw.toByteArray());
        }

        String header(String name) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }

        static String readLine(InputStream in) throws IOException {
            String line = readLine(in, new ByteArrayOutputStream());
            if (line == null) {
                throw new EOFException();
            }
            return line;
        }

        private static String readLine(InputStream in, ByteArrayOutputStream raw) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1) {
                raw.write(b);
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
                }
                line.write(b);
            }
            if (line.size() == 0) {
                return null;
            }
            throw new EOFException("connection closed mid-line");
        }
    }
}
