package dev.mountedsecrets.compat;

import java.io.IOException;
import java.sql.SQLException;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.mountedsecrets.MariaDbTestServer;
import dev.mountedsecrets.PostgresTestServer;
import dev.mountedsecrets.RedisTestServer;
import dev.mountedsecrets.compat.authserver.AuthorizationServer;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The real servers of the suite, each started once per test JVM on loopback when a test
 * first needs it, and stopped when the JVM ends.
 */
final class Servers {

	static final String POSTGRES_ADMIN_PASSWORD = "Compat-Admin-3c8e51a0";

	static final String APP_USER_PASSWORD = "Compat-AppUser-94d0b7e2";

	static final String REDIS_PASSWORD = "Compat-Redis-1e6f0a3b";

	static final String MAIL_USER = "app";

	static final String MAIL_PASSWORD = "Compat-Mail-b71c9d24";

	static final String CLIENT_ID = "orders-client";

	static final String CLIENT_SECRET = "Compat-OAuth-5a2d8e06";

	private static PostgresTestServer postgres;

	private static RedisTestServer redis;

	private static MariaDbTestServer mariadb;

	private static GreenMail smtp;

	private static ConfigurableApplicationContext authorizationServer;

	private Servers() {
	}

	/** PostgreSQL with the unprivileged role {@code app_user} and a row-level security table. */
	static synchronized PostgresTestServer postgres() throws IOException, SQLException {
		if (postgres == null) {
			postgres = PostgresTestServer.start(POSTGRES_ADMIN_PASSWORD);
			postgres.executeAsAdmin("CREATE ROLE app_user LOGIN PASSWORD '" + APP_USER_PASSWORD + "'");
			stopAtExit(postgres);
		}
		return postgres;
	}

	/**
	 * MariaDB with {@code 'app_user'@'%'}, which holds rights on rows only of the database
	 * {@code app}, and {@code 'ddl_user'@'%'}, which may also drop tables there.
	 */
	static synchronized MariaDbTestServer mariadb() throws IOException, SQLException {
		if (mariadb == null) {
			mariadb = MariaDbTestServer.start(POSTGRES_ADMIN_PASSWORD);
			stopAtExit(mariadb);
			mariadb.createUser("app_user", APP_USER_PASSWORD);
			mariadb.createUser("ddl_user", APP_USER_PASSWORD);
			mariadb.executeAsAdmin("GRANT SELECT, INSERT, UPDATE, DELETE ON app.* TO 'app_user'@'%'",
					"GRANT SELECT, INSERT, UPDATE, DELETE, DROP ON app.* TO 'ddl_user'@'%'");
		}
		return mariadb;
	}

	/** Redis whose default user needs {@link #REDIS_PASSWORD}. */
	static synchronized RedisTestServer redis() throws IOException {
		if (redis == null) {
			redis = RedisTestServer.start(REDIS_PASSWORD);
			stopAtExit(redis);
		}
		return redis;
	}

	/** SMTP that knows the user {@link #MAIL_USER} and refuses a wrong password. */
	static synchronized GreenMail smtp() {
		if (smtp == null) {
			smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort())
				.withConfiguration(GreenMailConfiguration.aConfig().withUser("app@example.test", MAIL_USER, MAIL_PASSWORD));
			smtp.start();
			stopAtExit(smtp::stop);
		}
		return smtp;
	}

	/** Spring Authorization Server with the client {@link #CLIENT_ID} (client credentials). */
	static synchronized String tokenUri() {
		if (authorizationServer == null) {
			String client = "--spring.security.oauth2.authorizationserver.client.orders.registration.";
			authorizationServer = new SpringApplication(AuthorizationServer.class).run("--server.port=0",
					"--secrets.enabled=false", CompatApps.EXCLUDE_DATABASE_AND_REDIS, client + "client-id=" + CLIENT_ID,
					client + "client-secret={bcrypt}" + new BCryptPasswordEncoder().encode(CLIENT_SECRET),
					client + "client-authentication-methods=client_secret_basic",
					client + "authorization-grant-types=client_credentials", client + "scopes=orders.read");
			stopAtExit(authorizationServer);
		}
		return "http://localhost:" + authorizationServer.getEnvironment().getProperty("local.server.port")
				+ "/oauth2/token";
	}

	private static void stopAtExit(AutoCloseable server) {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				server.close();
			}
			catch (Exception ex) {
				// The JVM ends: nothing is left to clean up after.
			}
		}));
	}

}
