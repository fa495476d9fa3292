package dev.mountedsecrets.jdbc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A refused login is blamed on the component whose code opened the connection, by its
 * frames, and explained only when the password came from a secret file.
 */
class DatabaseLoginFailureAnalyzerTests {

	private static final String ADMIN_PASSWORD = "Unit-Admin-93fd0c1ab2";

	private static final String APP_PASSWORD = "Unit-App-5e17b2c8d4";

	@TempDir
	Path secrets;

	@Test
	void analyzeWhenFlywayLoginRefusedNamesFlywayUserPropertyAndFile() throws IOException {
		write("postgres_password", ADMIN_PASSWORD);
		write("db_password_server", APP_PASSWORD);
		FailureAnalysis analysis = analyze(refusal("org.flywaydb.core.Flyway"));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).startsWith("The database refused the login of 'postgres' with the"
				+ " password in spring.flyway.password from " + this.secrets.resolve("postgres_password"));
		assertThat(analysis.getAction()).contains("spring.flyway.user names the right role");
		assertNoSecretIn(analysis);
	}

	@Test
	void analyzeWhenScriptLoginRefusedNamesSqlInitUserPropertyAndFile() throws IOException {
		write("postgres_password", ADMIN_PASSWORD);
		FailureAnalysis analysis = analyze(refusal("org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer"));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("'postgres'").contains("spring.sql.init.password from ");
		assertNoSecretIn(analysis);
	}

	@Test
	void analyzeWhenToolHasNoLoginOfItsOwnBlamesApplicationDataSource() throws IOException {
		write("db_password_server", APP_PASSWORD);
		FailureAnalysis analysis = analyze(refusal("org.flywaydb.core.Flyway"));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("'app_user'")
			.contains("spring.datasource.password from " + this.secrets.resolve("db_password_server"));
		assertThat(analysis.getAction()).contains("spring.datasource.username names the right role");
	}

	@Test
	void analyzeWhenPasswordNotFromSecretFileLeavesFailureToSpringBoot() {
		assertThat(analyze(refusal("org.flywaydb.core.Flyway"), "--spring.datasource.password=typed")).isNull();
	}

	@Test
	void analyzeWhenFailureIsNotRefusedLoginLeavesFailureToSpringBoot() throws IOException {
		write("db_password_server", APP_PASSWORD);
		SQLException unreachable = new SQLException("Connection refused", "08001");
		assertThat(analyze(new IllegalStateException("start-up failed", unreachable))).isNull();
	}

	private FailureAnalysis analyze(Throwable failure, String... args) {
		SpringApplication application = new SpringApplication(Empty.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		String[] all = new String[args.length + 1];
		all[0] = "--secrets.dir=" + this.secrets;
		System.arraycopy(args, 0, all, 1, args.length);
		try (ConfigurableApplicationContext context = application.run(all)) {
			ConfigurableEnvironment environment = context.getEnvironment();
			return new DatabaseLoginFailureAnalyzer(environment).analyze(failure);
		}
	}

	private static Throwable refusal(String openedBy) {
		SQLException refused = new SQLException("FATAL: password authentication failed for user \"postgres\"",
				"28P01");
		refused.setStackTrace(new StackTraceElement[] {
				new StackTraceElement("org.postgresql.core.v3.ConnectionFactoryImpl", "openConnection", null, 1),
				new StackTraceElement(openedBy, "run", null, 1) });
		return new IllegalStateException("start-up failed", refused);
	}

	private void write(String name, String value) throws IOException {
		Files.writeString(this.secrets.resolve(name), value + "\n");
	}

	private static void assertNoSecretIn(FailureAnalysis analysis) {
		assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain(ADMIN_PASSWORD)
			.doesNotContain(APP_PASSWORD);
	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

}
