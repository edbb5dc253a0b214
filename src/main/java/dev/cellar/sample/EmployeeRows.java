package dev.cellar.sample;

import java.util.SplittableRandom;

/**
 * Rows of {@code employees}, numbered cafe by cafe. About a third have left (employment_end
 * set), which the "7 years after employment end" retention rule works on. Each has a small
 * photo: random bytes in a JPEG frame, as incompressible as a real thumbnail.
 */
final class EmployeeRows implements TableRows {
    private static final String[] ROLES = {"barista", "barista", "barista", "cook", "cook", "server", "server",
            "courier", "courier", "cleaner", "manager"};

    private final SampleWorld world;

    EmployeeRows(SampleWorld world) {
        this.world = world;
    }

    /** Employee ids of cafe index {@code c} (0-based) are {@code c*perCafe+1 .. (c+1)*perCafe}. */
    static long firstEmployeeId(int cafeIndex, int perCafe) {
        return (long) cafeIndex * perCafe + 1;
    }

    @Override
    public String table() {
        return "employees";
    }

    @Override
    public String columns() {
        return "id, cafe_id, full_name, email, phone, role, hourly_rate, hired_on, employment_end, photo, notes";
    }

    @Override
    public void writeTo(RowWriter out) {
        SplittableRandom rng = Seeds.stream(world.seed(), "employees");
        Menu menu = world.menu();
        int perCafe = world.volumes().employeesPerCafe();
        for (int c = 0; c < menu.cafes(); c++) {
            int cafeId = menu.cafeIds()[c];
            long opened = world.cafeOpenedDay(cafeId);
            for (int i = 0; i < perCafe; i++) {
                long id = firstEmployeeId(c, perCafe) + i;
                String name = FakeText.fullName(rng);
                String role = i == 0 ? "manager" : ROLES[rng.nextInt(ROLES.length)];
                long hired = opened + rng.nextInt((int) (world.lastDay() - opened));
                long left = world.lastDay() - hired > 30 && rng.nextInt(3) == 0
                        ? hired + 30 + rng.nextInt((int) (world.lastDay() - hired - 30)) : -1;
                out.number(id).number(cafeId).text(name)
                        .text(name.toLowerCase().replace(' ', '.') + "." + id + "@staff.cafes.example")
                        .text(FakeText.phone(rng)).text(role).money(1500 + rng.nextInt(2200)).date(hired);
                if (left < 0) {
                    out.nul();
                } else {
                    out.date(left);
                }
                out.bytea(photo(rng)).text(rng.nextInt(4) == 0 ? FakeText.note(rng) : null).endRow();
            }
        }
    }

    private static byte[] photo(SplittableRandom rng) {
        byte[] photo = new byte[1500 + rng.nextInt(2500)];
        rng.nextBytes(photo);
        photo[0] = (byte) 0xFF;
        photo[1] = (byte) 0xD8;
        photo[photo.length - 2] = (byte) 0xFF;
        photo[photo.length - 1] = (byte) 0xD9;
        return photo;
    }
}
