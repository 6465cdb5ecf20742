// The client scenario for pgJDBC, printing TAP lines. Connects with libpq's
// environment variables; uses the helpers of examples/java/CreditsExample.
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.postgresql.util.PSQLException;

public class ClientsTest {
    static int count = 0;

    static void check(String description, boolean ok, Object diagnostic) {
        count++;
        System.out.println((ok ? "ok " : "not ok ") + count + " - pgjdbc: " + description);
        if (!ok && diagnostic != null) System.out.println("#   " + diagnostic);
    }

    interface Binder { void bind(PreparedStatement st) throws SQLException; }

    static Object one(Connection conn, String sql, Binder binder) throws SQLException {
        try (PreparedStatement st = conn.prepareStatement(sql)) {
            binder.bind(st);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getObject(1);
            }
        }
    }

    static SQLException errorOf(Connection conn, String sql, Binder binder) {
        try {
            one(conn, sql, binder);
            return null;
        } catch (SQLException e) {
            return e;
        }
    }

    static String tag() { return UUID.randomUUID().toString().substring(0, 8); }

    public static void main(String[] args) throws Exception {
        Connection conn = CreditsExample.connect();
        String account = "jdbc-" + tag();
        one(conn, "SELECT credits.open_account(?)", st -> st.setString(1, account));
        String grant = "SELECT credits.grant_credits(?, ?)";
        check("grant_credits with setBigDecimal", errorOf(conn, grant, st -> { st.setString(1, account); st.setBigDecimal(2, new BigDecimal("12.5")); }) == null, null);
        check("grant_credits with setInt", errorOf(conn, grant, st -> { st.setString(1, account); st.setInt(2, 7); }) == null, null);
        check("grant_credits with setDouble", errorOf(conn, grant, st -> { st.setString(1, account); st.setDouble(2, 2.5); }) == null, null);
        check("grant_credits with setString (varchar)", errorOf(conn, grant, st -> { st.setString(1, account); st.setString(2, "0.25"); }) == null, null);
        String debit = "SELECT credits.debit(?, ?)";
        check("debit with setBigDecimal", errorOf(conn, debit, st -> { st.setString(1, account); st.setBigDecimal(2, new BigDecimal("1.25")); }) == null, null);
        check("debit with setLong", errorOf(conn, debit, st -> { st.setString(1, account); st.setLong(2, 1L); }) == null, null);
        check("debit with setDouble", errorOf(conn, debit, st -> { st.setString(1, account); st.setDouble(2, 0.5); }) == null, null);
        check("debit with setString (varchar)", errorOf(conn, debit, st -> { st.setString(1, account); st.setString(2, "0.5"); }) == null, null);

        BigDecimal balance = CreditsExample.balance(conn, account);
        check("getBigDecimal reads balance() exactly", balance.compareTo(new BigDecimal("19")) == 0, balance);
        List<String> remaining = new ArrayList<>();
        try (PreparedStatement st = conn.prepareStatement("SELECT remaining FROM credits.grants_of(?)")) {
            st.setString(1, account);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) remaining.add(rs.getBigDecimal("remaining").toPlainString());
            }
        }
        check("grants_of() remaining per lot, in burn order", remaining.toString().equals("[9.25, 7, 2.5, 0.25]"), remaining);
        String largest = "170141183460469231731687303715.884105727";
        try (PreparedStatement st = conn.prepareStatement("SELECT ?::credit")) {
            st.setBigDecimal(1, new BigDecimal(largest));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                BigDecimal back = rs.getBigDecimal(1);
                check("the largest credit round-trips exactly", back.toPlainString().equals(largest), back);
            }
        }

        SQLException e = errorOf(conn, debit, st -> { st.setString(1, account); st.setDouble(2, 0.1 + 0.2); });
        check("a double with more than 9 fractional digits is 22P02 with a hint",
                e != null && "22P02".equals(e.getSQLState()) && ((PSQLException) e).getServerErrorMessage().getHint() != null, e);
        e = errorOf(conn, debit, st -> { st.setString(1, account); st.setBigDecimal(2, new BigDecimal("0.0000000001")); });
        check("a BigDecimal with 10 fractional digits is 22P02", e != null && "22P02".equals(e.getSQLState()), e);
        e = errorOf(conn, debit, st -> { st.setString(1, account); st.setNull(2, java.sql.Types.NUMERIC); });
        check("a NULL amount is 22004", e != null && "22004".equals(e.getSQLState()), e);

        String key = "retry-" + tag();
        long first = CreditsExample.debit(conn, account, new BigDecimal("1"), key);
        long again = CreditsExample.debit(conn, account, new BigDecimal("1"), key);
        check("an idempotent retry returns the first operation", first == again, first + " " + again);
        try {
            CreditsExample.debit(conn, account, new BigDecimal("2"), key);
            check("the same key with another amount is CR004", false, "no error");
        } catch (SQLException x) {
            check("the same key with another amount is CR004", "CR004".equals(x.getSQLState()), x);
        }
        check("the retry debited once", CreditsExample.balance(conn, account).compareTo(new BigDecimal("18")) == 0, null);

        e = errorOf(conn, debit, st -> { st.setString(1, account); st.setBigDecimal(2, new BigDecimal("1000")); });
        boolean cr001 = e != null && "CR001".equals(e.getSQLState());
        String detail = cr001 ? ((PSQLException) e).getServerErrorMessage().getDetail() : null;
        check("CR001 arrives with its SQLSTATE, message and DETAIL",
                cr001 && e.getMessage().contains("insufficient credits") && detail != null && detail.contains("available 18"), e);

        String shared = "jdbc-pool-" + tag();
        one(conn, "SELECT credits.open_account(?)", st -> st.setString(1, shared));
        one(conn, grant, st -> { st.setString(1, shared); st.setBigDecimal(2, new BigDecimal("10")); });
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch ready = new CountDownLatch(8);
        List<Future<String>> futures = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            futures.add(pool.submit(() -> {
                try (Connection c = CreditsExample.connect()) {
                    ready.countDown();
                    ready.await();
                    SQLException x = errorOf(c, debit, st -> { st.setString(1, shared); st.setBigDecimal(2, new BigDecimal("2")); });
                    return x == null ? "ok" : x.getSQLState();
                }
            }));
        }
        List<String> outcomes = new ArrayList<>();
        for (Future<String> f : futures) outcomes.add(f.get());
        pool.shutdown();
        outcomes.sort(null);
        check("8 concurrent debits: 5 succeed, 3 are CR001", outcomes.toString().equals("[CR001, CR001, CR001, ok, ok, ok, ok, ok]"), outcomes);
        check("and the balance is exactly 0", CreditsExample.balance(conn, shared).signum() == 0, null);
        conn.close();
    }
}
