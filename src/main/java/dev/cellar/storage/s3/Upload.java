package dev.cellar.storage.s3;

import dev.cellar.storage.Retention;

/**
 * One object to write.
 *
 * @param key          the repository-relative key, for messages
 * @param objectKey    the key inside the bucket (repository prefix included)
 * @param data         the whole object
 * @param storageClass storage class to ask for; null for the bucket's default
 * @param retention    Object Lock to write with the object; null for none
 * @param onlyIfAbsent send If-None-Match: * so the server refuses to replace an existing object
 */
record Upload(String key, String objectKey, byte[] data, String storageClass, Retention retention, boolean onlyIfAbsent) {
}
