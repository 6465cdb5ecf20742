// Credits from Java with pgJDBC: amounts go in with setBigDecimal (or setLong,
// setString, setDouble) and come back exactly with getBigDecimal.
//
//   javac -cp postgresql.jar CreditsExample.java
//   PGHOST=localhost PGDATABASE=app PGUSER=app PGPASSWORD=... \
//     java -cp postgresql.jar:. CreditsExample
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

public class CreditsExample {
    /** Connects with libpq's environment variables (PGHOST, PGPORT, ...). */
    static Connection connect() throws SQLException {
        String url = String.format("jdbc:postgresql://%s:%s/%s", env("PGHOST", "localhost"),
                env("PGPORT", "5432"), env("PGDATABASE", "postgres"));
        Properties props = new Properties();
        props.setProperty("user", env("PGUSER", System.getProperty("user.name")));
        props.setProperty("password", env("PGPASSWORD", ""));
        return DriverManager.getConnection(url, props);
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    /** Debits `amount`; returns the operation id. */
    static long debit(Connection conn, String account, BigDecimal amount, String key) throws SQLException {
        try (PreparedStatement st = conn.prepareStatement("SELECT credits.debit(?, ?, ?)")) {
            st.setString(1, account);
            st.setBigDecimal(2, amount); // bound as numeric: exact
            st.setString(3, key);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The balance, exactly: credit arrives as text, which getBigDecimal parses. */
    static BigDecimal balance(Connection conn, String account) throws SQLException {
        try (PreparedStatement st = conn.prepareStatement("SELECT credits.balance(?)")) {
            st.setString(1, account);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBigDecimal(1);
            }
        }
    }

    public static void main(String[] args) throws SQLException {
        try (Connection conn = connect()) {
            try (PreparedStatement st = conn.prepareStatement(
                    "SELECT credits.open_account(?), credits.grant_credits(?, ?)")) {
                st.setString(1, "java-example");
                st.setString(2, "java-example");
                st.setBigDecimal(3, new BigDecimal("100.50"));
                st.executeQuery().close();
            }
            try {
                debit(conn, "java-example", new BigDecimal("12.25"), "order-1");
            } catch (PSQLException e) {
                ServerErrorMessage m = e.getServerErrorMessage();
                if ("CR001".equals(e.getSQLState())) // insufficient credits
                    System.out.println("declined: " + m.getMessage() + " " + m.getDetail());
                throw e;
            }
            System.out.println(balance(conn, "java-example").toPlainString()); // 88.25
        }
    }
}
