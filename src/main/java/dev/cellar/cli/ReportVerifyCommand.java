package dev.cellar.cli;

import dev.cellar.app.ReportService;
import dev.cellar.error.ErrorCode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "verify", description = {"Check an exported report file against its signature (FILE.sig beside it): proves the file "
        + "is the one this repository's Cellar wrote, unchanged. Needs the repository's key (the signature is an HMAC under it).",
        "Exits 0 when the signature matches, 10 (integrity) when it does not."},
        footer = {"", "Examples:", "  cellar report verify /srv/audit/2026Q4/report.html", "  cellar report verify report.json --json"})
final class ReportVerifyCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "FILE", description = "An exported report file; its signature is FILE.sig.")
    Path file;

    @Override
    public Integer call() {
        try (CommandContext context = CommandContext.load(common, null)) {
            ReportService.Verification result = new ReportService(context.app()).verify(file);
            context.output().result(result, (result.verified() ? "verified: " : "REFUSED: ") + file + ": " + result.reason() + "\n");
            return result.verified() ? 0 : ErrorCode.INTEGRITY.exitCode();
        }
    }
}
