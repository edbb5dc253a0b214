package dev.cellar.app;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.DataKeyring;
import dev.cellar.repo.ObjectReencryption;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.storage.Reachability;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code cellar key rotate} and {@code cellar key reencrypt}: a new data key for everything
 * written from now on, and the rewriting of older objects with it, copy by copy. Key slots are not
 * touched (rotating the data key needs no other slot's secret); every step is audited.
 */
public final class KeyRotationService {
    private final CellarContext context;

    public KeyRotationService(CellarContext context) {
        this.context = context;
    }

    /** The key added, and the keys now held. */
    public record Rotated(DataKeyring.DataKeyInfo added, int previousKeyId, List<DataKeyring.DataKeyInfo> keys) {
    }

    /** One copy's re-encryption. */
    public record CopyReencrypted(String copy, String location, int keyringObjectsCopied, ObjectReencryption.Result result) {
    }

    public record ReencryptRun(List<CopyReencrypted> copies, List<String> unreachable) {
        public boolean finished() {
            return unreachable.isEmpty() && copies.stream().allMatch(c -> c.result().finished());
        }
    }

    public Rotated rotate() {
        return rotate(context.openRepository()).rotated();
    }

    /** A rotation, then the re-encryption of every copy with the new key: one unlock for both. */
    public record RotatedAndReencrypted(Rotated rotated, ReencryptRun reencrypted) {
    }

    public RotatedAndReencrypted rotateAndReencrypt(int jobs, ProgressListener progress) {
        Opened opened = rotate(context.openRepository());
        return new RotatedAndReencrypted(opened.rotated(), reencrypt(context.eachCopyOf(opened.repository()), jobs, progress));
    }

    /** The rotation, and the repository that seals with the new key. */
    private record Opened(Rotated rotated, Repository repository) {
    }

    private Opened rotate(Repository repository) {
        int previous = repository.keyring().currentKeyId();
        long started = System.nanoTime();
        try {
            Repository.RotatedRepository rotated = repository.rotateDataKey();
            repository.audit().append("key.rotate", repository.storage().describe(), "ok",
                    "data key " + rotated.added().id() + " added, replacing data key " + previous + " for new objects", 0,
                    Duration.ofNanos(System.nanoTime() - started));
            return new Opened(new Rotated(rotated.added(), previous, rotated.repository().keyring().describe()), rotated.repository());
        } catch (CellarException e) {
            repository.audit().append("key.rotate", repository.storage().describe(), "failed", e.getMessage(), 0,
                    Duration.ofNanos(System.nanoTime() - started));
            throw e;
        }
    }

    /** Rewrites every object of every reachable copy that is sealed with an older data key. */
    public ReencryptRun reencrypt(int jobs, ProgressListener progress) {
        return reencrypt(context.openEachCopy(), jobs, progress);
    }

    private ReencryptRun reencrypt(List<CellarContext.Copy> copies, int jobs, ProgressListener progress) {
        List<CopyReencrypted> results = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        for (CellarContext.Copy copy : copies) {
            try {
                results.add(reencrypt(copy, jobs, progress));
            } catch (CellarException e) {
                if (copies.size() == 1 || !Reachability.unreachable(e)) {
                    throw e;
                }
                unreachable.add(copy.target().name());
                context.warnPartial("re-encryption of copy '" + copy.target().name() + "' stopped: " + e.getMessage(),
                        "run 'cellar key reencrypt' again once " + copy.target().name() + " answers");
            }
        }
        if (results.isEmpty()) {
            throw new CellarException(ErrorCode.STORAGE_UNAVAILABLE, "no copy of the repository could be re-encrypted: "
                    + String.join(", ", unreachable) + " could not be reached", "run 'cellar key reencrypt' again once they answer");
        }
        return new ReencryptRun(List.copyOf(results), List.copyOf(unreachable));
    }

    private CopyReencrypted reencrypt(CellarContext.Copy copy, int jobs, ProgressListener progress) {
        Repository repository = copy.repository();
        long started = System.nanoTime();
        try {
            int copied = repository.keyring().writeMissingTo(repository.storage());
            ObjectReencryption.Result result = new ObjectReencryption(repository).run(jobs, context.lockWait(), progress);
            repository.audit().append("key.reencrypt", repository.storage().describe(), result.finished() ? "ok" : "partial",
                    result.reencrypted() + " of " + result.checked() + " objects rewritten with data key " + result.currentKeyId()
                            + "; " + result.lockedObjects() + " under WORM retention kept their key"
                            + (result.damaged().isEmpty() ? "" : "; " + result.damaged().size() + " damaged"),
                    result.bytesRewritten(), Duration.ofNanos(System.nanoTime() - started));
            return new CopyReencrypted(copy.target().name(), copy.target().location(), copied, result);
        } catch (CellarException e) {
            repository.audit().append("key.reencrypt", repository.storage().describe(), "failed", e.getMessage(), 0,
                    Duration.ofNanos(System.nanoTime() - started));
            throw e;
        }
    }
}
