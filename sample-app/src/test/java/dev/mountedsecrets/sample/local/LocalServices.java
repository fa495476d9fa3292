package dev.mountedsecrets.sample.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mountedsecrets.PostgresTestServer;
import dev.mountedsecrets.RedisTestServer;
import dev.mountedsecrets.sample.GenerateSecrets;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Real servers on loopback for the sample, configured from its secrets folder exactly as the
 * Compose file configures the containers: PostgreSQL (admin password from
 * {@code postgres_password}, role {@code app_user} with {@code db_password_server}), Redis
 * ({@code redis_password}), SMTP with an authenticated user ({@code email_password}), and a
 * local OAuth2 provider standing in for Google ({@link LocalProvider}).
 */
public final class LocalServices implements AutoCloseable {

	/** The user who can sign in at the local OAuth2 provider; an operator (role OPS) in the sample. */
	public static final String DEMO_USER = "alice@tenant-a.test";

	/** A second user, of another tenant and without role OPS; same password as {@link #DEMO_USER}. */
	public static final String OTHER_USER = "bob@tenant-b.test";

	/** The file, next to the secrets, that holds the demo user's password. */
	public static final String DEMO_PASSWORD_FILE = GenerateSecrets.LOCAL_LOGIN_PASSWORD;

	private final Path secrets;

	private final PostgresTestServer postgres;

	private final RedisTestServer redis;

	private final GreenMail smtp;

	private final ConfigurableApplicationContext provider;

	private final String providerIssuer;

	private LocalServices(Path secrets, PostgresTestServer postgres, RedisTestServer redis, GreenMail smtp,
			ConfigurableApplicationContext provider, String providerIssuer) {
		this.secrets = secrets;
		this.postgres = postgres;
		this.redis = redis;
		this.smtp = smtp;
		this.provider = provider;
		this.providerIssuer = providerIssuer;
	}

	/**
	 * Start every server.
	 * @param secrets the sample's secrets folder, already filled
	 * @param appPort the port the sample will listen on, for the OAuth2 redirect URI
	 * @return the running servers
	 * @throws Exception if a server cannot start
	 */
	public static LocalServices start(Path secrets, int appPort) throws Exception {
		// each server started is stopped again if a later one fails: nothing is left running
		Deque<AutoCloseable> started = new ArrayDeque<>();
		try {
			PostgresTestServer postgres = PostgresTestServer.start(read(secrets, "postgres_password"));
			started.push(postgres);
			postgres.executeAsAdmin("CREATE DATABASE app",
					"CREATE ROLE app_user LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '"
							+ read(secrets, "db_password_server").replace("'", "''") + "'");
			RedisTestServer redis = RedisTestServer.start(read(secrets, "redis_password"));
			started.push(redis);
			GreenMail smtp = new GreenMail(
					new ServerSetup(RedisTestServer.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
			smtp.setUser("app@sample.test", "app", read(secrets, "email_password"));
			smtp.start();
			started.push(smtp::stop);
			int providerPort = RedisTestServer.freePort();
			String issuer = "http://127.0.0.1:" + providerPort;
			ConfigurableApplicationContext provider = LocalProvider.start(secrets, "127.0.0.1", providerPort, issuer,
					null, "http://localhost:" + appPort);
			return new LocalServices(secrets, postgres, redis, smtp, provider, issuer);
		}
		catch (Exception | Error ex) {
			while (!started.isEmpty()) {
				try {
					started.pop().close();
				}
				catch (Exception closing) {
					ex.addSuppressed(closing);
				}
			}
			throw ex;
		}
	}

	/**
	 * The arguments that point the sample at these servers.
	 * @param appPort the port the sample listens on
	 * @return command-line arguments
	 */
	public String[] sampleArguments(int appPort) {
		List<String> args = new ArrayList<>(List.of("--server.port=" + appPort, "--secrets.dir=" + this.secrets,
				"--sample.ops-users=" + DEMO_USER,
				"--spring.datasource.url=" + this.postgres.jdbcUrl("app"), "--spring.data.redis.host=127.0.0.1",
				"--spring.data.redis.port=" + this.redis.port(), "--spring.mail.host=127.0.0.1",
				"--spring.mail.port=" + this.smtp.getSmtp().getPort(),
				"--spring.security.oauth2.client.provider.google.issuer-uri=" + this.providerIssuer,
				"--spring.autoconfigure.exclude=org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerAutoConfiguration,"
						+ "org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerJwtAutoConfiguration"));
		return args.toArray(String[]::new);
	}

	public GreenMail smtp() {
		return this.smtp;
	}

	public PostgresTestServer postgres() {
		return this.postgres;
	}

	public int redisPort() {
		return this.redis.port();
	}

	public String providerIssuer() {
		return this.providerIssuer;
	}

	/**
	 * The demo users' password, from the file {@link GenerateSecrets} creates next to the secrets.
	 * @param secrets the secrets folder
	 * @return the password
	 * @throws IOException if the file cannot be read
	 */
	public static String demoPassword(Path secrets) throws IOException {
		return read(secrets, DEMO_PASSWORD_FILE);
	}

	static String read(Path secrets, String name) throws IOException {
		String value = Files.readString(secrets.resolve(name), StandardCharsets.UTF_8);
		return value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
	}

	@Override
	public void close() throws Exception {
		this.provider.close();
		this.smtp.stop();
		this.redis.close();
		this.postgres.close();
	}

}
