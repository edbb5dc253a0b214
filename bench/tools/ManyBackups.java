import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cellar.repo.BackupId;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryJson;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.storage.LocalStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Grows a folder repository to many backups for bench/scale.sh: every backup already in it is
 * saved again under new ids, one a day further back, until the repository holds the count asked
 * for. The copies share the originals' chunks (a day's backup of an unchanged database), so the
 * repository grows by manifests only: what list, expire, gc and verify --all must scale with.
 *
 * Run with the source launcher: java -cp target/cellar.jar bench/tools/ManyBackups.java REPO PASSPHRASE_FILE COUNT
 */
public class ManyBackups {
    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        char[] passphrase = Files.readString(Path.of(args[1])).strip().toCharArray();
        int wanted = Integer.parseInt(args[2]);
        Repository repository = Repository.open(new LocalStorage(folder), RepositorySecret.passphrase(passphrase), Clock.systemUTC());
        List<String> originals = repository.manifests().ids();
        if (originals.isEmpty()) {
            throw new IllegalStateException("the repository holds no backup to copy");
        }
        int have = originals.size();
        for (int day = 1; have < wanted; day++) {
            for (String id : originals) {
                if (have >= wanted) {
                    break;
                }
                BackupManifest original = repository.manifests().load(id);
                Duration back = Duration.ofDays(day);
                Instant started = original.startedAt().minus(back);
                ObjectNode json = (ObjectNode) RepositoryJson.mapper().readTree(RepositoryJson.write(original));
                json.put("id", BackupId.next(started));
                json.put("startedAt", started.toString());
                json.put("finishedAt", original.finishedAt().minus(back).toString());
                repository.manifests().save(RepositoryJson.read(RepositoryJson.write(json), BackupManifest.class));
                have++;
            }
        }
        System.out.println(folder + " holds " + repository.manifests().ids().size() + " backups");
    }
}
