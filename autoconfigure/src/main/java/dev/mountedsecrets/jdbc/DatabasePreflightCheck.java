package dev.mountedsecrets.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mountedsecrets.PreflightCheck;
import dev.mountedsecrets.PreflightFinding;
import dev.mountedsecrets.PreflightStatus;
import dev.mountedsecrets.SecretOrigins;
import dev.mountedsecrets.SecretsProperties;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The database part of the pre-flight check ({@code secrets.preflight.database=true}): logs in
 * as the application's DataSource would ({@code spring.datasource.url}, {@code .username},
 * {@code .password}) and applies the least-privilege rules of {@link DataSourceRoleCheck} for
 * the database the driver names (PostgreSQL, MariaDB, MySQL), as at start-up; then logs in as
 * Flyway, Liquibase or {@code spring.sql.init} where one has a login of its own fed by a
 * secret. One connection at a time, each closed at
 * once; no pool, no bean. Failures are explained with the start-up failure analyses.
 */
public final class DatabasePreflightCheck implements PreflightCheck {

	/** The longest a pre-flight login may take. */
	/** What precedes the user info of an Oracle URL ({@code jdbc:oracle:thin:app/pw@//db/XE}). */
	private static final Pattern ORACLE_PREFIX = Pattern.compile("(?i)jdbc:oracle:[a-z0-9]+:");

	private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(30);

	private static final String NAME = "database";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public boolean requested(SecretsProperties.Preflight settings) {
		return settings.isDatabase();
	}

	@Override
	public List<PreflightFinding> run(ConfigurableEnvironment environment) {
		List<PreflightFinding> findings = new ArrayList<>();
		String url = environment.getProperty("spring.datasource.url");
		if (url == null || url.isBlank()) {
			findings.add(PreflightFinding.problem(NAME, "spring.datasource.url", PreflightStatus.NOT_CHECKED,
					"spring.datasource.url is not set, so there is no database to log in to",
					"Run the check with the application's configuration (its profile, its DB_* variables), or set"
							+ " secrets.preflight.database=false."));
			return findings;
		}
		findings.add(checkApplicationLogin(environment, url));
		for (SchemaTool tool : SchemaTool.values()) {
			if (tool.hasOwnLogin(environment)
					&& SecretOrigins.secretFeeding(environment, tool.passwordProperty()).isPresent()) {
				String toolUrl = environment.getProperty(urlProperty(tool), url);
				findings.add(checkToolLogin(environment, tool, toolUrl));
			}
		}
		return findings;
	}

	private PreflightFinding checkApplicationLogin(ConfigurableEnvironment environment, String url) {
		String user = environment.getProperty("spring.datasource.username", "");
		String subject = "spring.datasource (" + user + ")";
		Driver driver = driverFor(url);
		if (driver == null) {
			return noDriver(subject, url);
		}
		DataSourceRoleCheck.Login login = () -> connect(driver, url, user,
				environment.getProperty("spring.datasource.password", ""));
		try {
			DataSourceRoleCheck.Verification verification = DataSourceRoleCheck.verification(login, environment,
					List::of, true);
			LeastPrivilegeException warning = verification.warning();
			if (warning != null) {
				FailureAnalysis analysis = new LeastPrivilegeFailureAnalyzer(environment).analyze(warning);
				return PreflightFinding.warning(NAME, subject,
						analysis.getDescription() + " (secrets.datasource.least-privilege=warn)", analysis.getAction());
			}
			if (verification.notApplicable()) {
				return PreflightFinding.passed(NAME, subject, "Logged in as '" + user
						+ "' with spring.datasource.password; the least-privilege rules apply to PostgreSQL, MariaDB"
						+ " and MySQL only, not to " + verification.database());
			}
			if (!verification.applied()) {
				return PreflightFinding.passed(NAME, subject, "Logged in as '" + user
						+ "' with spring.datasource.password; secrets.datasource.least-privilege=off");
			}
			return PreflightFinding.passed(NAME, subject, "Logged in as '" + user + "'; the "
					+ ("PostgreSQL".equals(verification.database()) ? "role" : "user")
					+ " passes the least-privilege rules of " + verification.database());
		}
		catch (DatabaseLoginException ex) {
			return refused(environment, subject, ex);
		}
		catch (LeastPrivilegeException ex) {
			FailureAnalysis analysis = new LeastPrivilegeFailureAnalyzer(environment).analyze(ex);
			return PreflightFinding.problem(NAME, subject, PreflightStatus.DATABASE_ROLE_PRIVILEGED,
					analysis.getDescription(), analysis.getAction());
		}
		catch (RuntimeException ex) {
			return unreachable(subject, url, ex);
		}
	}

	private PreflightFinding checkToolLogin(ConfigurableEnvironment environment, SchemaTool tool, String url) {
		String subject = tool.displayName() + " (" + environment.getProperty(tool.userProperty(), "") + ")";
		Driver driver = driverFor(url);
		if (driver == null) {
			return noDriver(subject, url);
		}
		return checkLogin(environment, subject, driver, url, tool.userProperty(), tool.passwordProperty(), "");
	}

	/** A login alone: connect, then disconnect. */
	private PreflightFinding checkLogin(ConfigurableEnvironment environment, String subject, Driver driver, String url,
			String userProperty, String passwordProperty, String note) {
		String user = environment.getProperty(userProperty, "");
		try (Connection connection = connect(driver, url, user, environment.getProperty(passwordProperty, ""))) {
			return PreflightFinding.passed(NAME, subject, "Logged in as '" + user + "' with " + passwordProperty + note);
		}
		catch (SQLException ex) {
			SQLException refusal = DataSourceRoleCheck.loginFailure(ex);
			if (refusal != null) {
				return refused(environment, subject, new DatabaseLoginException(user, userProperty,
						SecretOrigins.describe(environment, passwordProperty), refusal));
			}
			return unreachable(subject, url, ex);
		}
	}

	private static PreflightFinding refused(ConfigurableEnvironment environment, String subject,
			DatabaseLoginException ex) {
		FailureAnalysis analysis = new DatabaseLoginFailureAnalyzer(environment).analyze(ex);
		String description = (analysis != null) ? analysis.getDescription() : ex.getMessage();
		String action = (analysis != null) ? analysis.getAction() : "Check the password in the secret file.";
		return PreflightFinding.problem(NAME, subject, PreflightStatus.DATABASE_LOGIN_REFUSED, description, action);
	}

	private static PreflightFinding unreachable(String subject, String url, Exception ex) {
		return PreflightFinding.problem(NAME, subject, PreflightStatus.NOT_CHECKED,
				"Could not log in to " + withoutCredentials(url) + ": " + withoutUrl(ex.getMessage(), url),
				"Check that the database is reachable from where the check runs (host, port, network policy), then"
						+ " run the check again.");
	}

	private static PreflightFinding noDriver(String subject, String url) {
		return PreflightFinding.problem(NAME, subject, PreflightStatus.NOT_CHECKED,
				"No JDBC driver on the class path accepts " + withoutCredentials(url),
				"Run the check with the application's own jar, which holds its driver.");
	}

	private static String urlProperty(SchemaTool tool) {
		return switch (tool) {
			case FLYWAY -> "spring.flyway.url";
			case LIQUIBASE -> "spring.liquibase.url";
			case SQL_INIT -> "spring.datasource.url";
		};
	}

	private static @Nullable Driver driverFor(String url) {
		ClassLoader classLoader = DatabasePreflightCheck.class.getClassLoader();
		for (Driver driver : ServiceLoader.load(Driver.class, classLoader)) {
			try {
				if (driver.acceptsURL(url)) {
					return driver;
				}
			}
			catch (SQLException ex) {
				// A driver that cannot tell: try the next.
			}
		}
		return null;
	}

	/**
	 * Log in, giving up after {@link #LOGIN_TIMEOUT}: a server that accepts the connection and
	 * never answers must not hang an init container (the drivers' own defaults wait for ever).
	 */
	private static Connection connect(Driver driver, String url, String user, String password) throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", user);
		properties.setProperty("password", password);
		FutureTask<Connection> login = new FutureTask<>(() -> driver.connect(url, properties));
		Thread thread = new Thread(login, "secrets-preflight-login");
		thread.setDaemon(true);
		thread.start();
		Connection connection;
		try {
			connection = login.get(LOGIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (TimeoutException ex) {
			thread.interrupt();
			throw new SQLException("the database did not answer within " + LOGIN_TIMEOUT.toSeconds() + " s", "08001");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SQLException("the login was interrupted", "08001");
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof SQLException sql) {
				throw sql;
			}
			throw new SQLException("the login failed (" + ex.getCause().getClass().getSimpleName() + ")", "08001");
		}
		if (connection == null) {
			throw new SQLException("The driver " + driver.getClass().getName() + " does not accept "
					+ withoutCredentials(url));
		}
		return connection;
	}

	/**
	 * A JDBC URL as it may be shown: no user info (all up to the URL's last {@code @}, as a
	 * password may hold {@code @}, {@code ?} or {@code ;}; Oracle's {@code user/password@}
	 * too), no parameters, no {@code password=} or {@code user=} in a key-value host (any of
	 * them may hold a password).
	 */
	static String withoutCredentials(String url) {
		String shown = withoutUserInfo(url).replaceAll("(?i)\\b(password|pwd|user)\\s*=\\s*[^)(,;&]*", "$1=...");
		int parameters = shown.indexOf('?');
		int semicolon = shown.indexOf(';');
		int cut = (parameters < 0) ? semicolon : (semicolon < 0) ? parameters : Math.min(parameters, semicolon);
		return (cut < 0) ? shown : shown.substring(0, cut);
	}

	/** A URL without what comes before its last {@code @}, from {@code //} or Oracle's {@code jdbc:oracle:thin:}. */
	private static String withoutUserInfo(String url) {
		int at = url.lastIndexOf('@');
		if (at < 0) {
			return url;
		}
		Matcher oracle = ORACLE_PREFIX.matcher(url);
		int start = oracle.lookingAt() ? oracle.end() : url.indexOf("//") + 2;
		if (start < 2 || start >= at) {
			return url;
		}
		return url.substring(0, start) + url.substring(at + 1);
	}

	/** A driver's message with the URL, should it quote it, shown without credentials. */
	private static String withoutUrl(@Nullable String message, String url) {
		return (message != null) ? message.replace(url, withoutCredentials(url)) : "";
	}

}
