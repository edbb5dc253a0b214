package dev.cellar.repo;

/** One chunk of a stream: its id (keyed hash of the plaintext) and plaintext length. */
public record ChunkRef(String id, int size) {
}
