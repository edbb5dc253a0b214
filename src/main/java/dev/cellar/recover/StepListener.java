package dev.cellar.recover;

/** Told about each step of a recovery as it starts and ends, so a DBA watching sees where it is. */
public interface StepListener {
    StepListener NONE = new StepListener() {
        @Override
        public void started(String name, String detail) {
        }

        @Override
        public void finished(RecoverStep step) {
        }
    };

    void started(String name, String detail);

    void finished(RecoverStep step);
}
