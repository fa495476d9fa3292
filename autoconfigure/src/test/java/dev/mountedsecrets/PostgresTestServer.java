package dev.mountedsecrets;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicReference;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server on loopback (zonky's embedded binaries) that checks passwords:
 * the admin role {@code postgres} gets a password and every login must pass SCRAM.
 */
public final class PostgresTestServer implements AutoCloseable {

	private final EmbeddedPostgres postgres;

	private final String adminPassword;

	private PostgresTestServer(EmbeddedPostgres postgres, String adminPassword) {
		this.postgres = postgres;
		this.adminPassword = adminPassword;
	}

	public static PostgresTestServer start(String adminPassword) throws IOException, SQLException {
		AtomicReference<File> dataDirectory = new AtomicReference<>();
		EmbeddedPostgres postgres = EmbeddedPostgres.builder()
			.setServerConfig("password_encryption", "scram-sha-256")
			.setDataDirectoryCustomizer(dataDirectory::set)
			.start();
		try (Connection connection = postgres.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("ALTER ROLE postgres PASSWORD '" + adminPassword + "'");
			Files.writeString(dataDirectory.get().toPath().resolve("pg_hba.conf"),
					"local all all scram-sha-256\nhost all all 127.0.0.1/32 scram-sha-256\n"
							+ "host all all ::1/128 scram-sha-256\n");
			statement.execute("SELECT pg_reload_conf()");
		}
		return new PostgresTestServer(postgres, adminPassword);
	}

	public String jdbcUrl() {
		return jdbcUrl("postgres");
	}

	public String jdbcUrl(String database) {
		return "jdbc:postgresql://localhost:" + this.postgres.getPort() + "/" + database;
	}

	public Connection login(String user, String password) throws SQLException {
		return login("postgres", user, password);
	}

	public Connection login(String database, String user, String password) throws SQLException {
		return DriverManager.getConnection(jdbcUrl(database), user, password);
	}

	public void executeAsAdmin(String... sql) throws SQLException {
		try (Connection connection = login("postgres", this.adminPassword);
				Statement statement = connection.createStatement()) {
			for (String each : sql) {
				statement.execute(each);
			}
		}
	}

	/**
	 * The operator's {@code ALTER ROLE ... PASSWORD}, with the SCRAM verifier computed on this
	 * side: the driver logs the statements it sends at TRACE, and this one is the test's, not
	 * the application's.
	 * @param role the role
	 * @param password its new password
	 */
	public void changePassword(String role, String password) throws SQLException {
		try (Connection admin = login("postgres", this.adminPassword)) {
			admin.unwrap(org.postgresql.PGConnection.class)
				.alterUserPassword(role, password.toCharArray(), "scram-sha-256");
		}
	}

	/**
	 * Stop the server when this JVM ends: by a shutdown hook, and, when the JVM is ended
	 * without running hooks (PIT halts a minion whose mutant timed out), by a reaper process
	 * that waits for this JVM to end.
	 * @return this server
	 */
	public PostgresTestServer stopWhenThisJvmEnds() throws SQLException, IOException {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				close();
			}
			catch (IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		}));
		java.nio.file.Path dataDirectory;
		try (Connection connection = login("postgres", this.adminPassword);
				Statement statement = connection.createStatement();
				java.sql.ResultSet result = statement.executeQuery("SHOW data_directory")) {
			result.next();
			dataDirectory = java.nio.file.Path.of(result.getString(1));
		}
		String postmaster = Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim();
		String script = "tail --pid=" + ProcessHandle.current().pid() + " -f /dev/null; kill -INT " + postmaster
				+ " 2>/dev/null; while kill -0 " + postmaster + " 2>/dev/null; do sleep 0.2; done; rm -rf '"
				+ dataDirectory + "'";
		new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		return this;
	}

	@Override
	public void close() throws IOException {
		this.postgres.close();
	}

}
