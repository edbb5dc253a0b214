package dev.cellar.web.api;

import dev.cellar.repo.ProgressListener;

/** Runs one operation's request through the services, as the CLI would, and returns the result record its {@code --json} prints. */
@FunctionalInterface
public interface OperationRunner {
    Object run(OperationRequest request, ProgressListener progress) throws Exception;
}
