package dev.mountedsecrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The pre-flight check as the post-processor runs it, with the report handed to the test
 * instead of ending the JVM ({@code PreflightExitCodeTests} ends real JVMs).
 */
class SecretsPreflightTests {

	private static final String CRYPTO_KEY = "k3y-of-forty-characters-0123456789abcdef";

	private static final DeferredLogFactory LOGS = (destination) -> destination.get();

	@TempDir
	Path secrets;

	private final List<PreflightReport> reports = new ArrayList<>();

	private final List<PreflightFormat> formats = new ArrayList<>();

	@Test
	void preflightWhenFilesPassTheRulesReportsPassedWithExitCodeZeroAndNoValue() throws IOException {
		write("crypto_key", CRYPTO_KEY);
		write("db_password_server", "db-password-9e1f");
		StandardEnvironment environment = preflight("secrets.required", "crypto_key,db_password_server");
		PreflightReport report = onlyReport();
		assertThat(report.status()).isEqualTo(PreflightStatus.PASSED);
		assertThat(report.exitCode()).isZero();
		assertThat(report.secrets()).containsExactly("crypto_key", "db_password_server");
		assertThat(report.checks()).containsExactly("secrets");
		String text = report.render(PreflightFormat.TEXT);
		assertThat(text).startsWith("mounted-secrets pre-flight check: PASSED (exit code 0)")
			.contains("2 secret file(s) pass the start-up rules")
			.doesNotContain(CRYPTO_KEY)
			.doesNotContain("db-password-9e1f");
		assertThat(environment.getProperty("spring.datasource.password")).as("installed as at start-up")
			.isEqualTo("db-password-9e1f");
	}

	@Test
	void preflightWhenFilesBreakRulesReportsTheStartUpProblemsWithExitCodeTwo() throws IOException {
		write("crypto_key", "too-short");
		write("redis_password", "changeme");
		Map<String, Object> settings = settings("secrets.required", "crypto_key,db_password_server");
		InvalidSecretsException startUp = catchThrowableOfType(InvalidSecretsException.class,
				() -> postProcessor().postProcessEnvironment(environment(settings), new SpringApplication()));
		preflight(settings);
		PreflightReport report = onlyReport();
		assertThat(report.status()).isEqualTo(PreflightStatus.INVALID_SECRETS);
		assertThat(report.exitCode()).isEqualTo(2);
		assertThat(report.findings()).allMatch(PreflightFinding::failed)
			.extracting(PreflightFinding::description)
			.containsExactlyElementsOf(startUp.getProblems().stream().map(SecretProblem::describe).toList());
		assertThat(report.findings()).extracting(PreflightFinding::action)
			.containsExactlyElementsOf(startUp.getProblems().stream().map(SecretProblem::action).toList());
		assertThat(report.render(PreflightFormat.TEXT)).contains("is required (secrets.required) but does not exist")
			.contains("is shorter than the 32 characters required")
			.contains("holds a placeholder")
			.doesNotContain("too-short")
			.doesNotContain("changeme");
	}

	@Test
	void preflightWhenFormatIsJsonGivesOneObjectWithStatusExitCodeAndFindings() throws IOException {
		write("crypto_key", "too-short");
		preflight("secrets.preflight.format", "json");
		assertThat(this.formats).containsExactly(PreflightFormat.JSON);
		JsonNode json = JsonMapper.builder().build().readTree(onlyReport().render(PreflightFormat.JSON));
		assertThat(json.get("status").asString()).isEqualTo("INVALID_SECRETS");
		assertThat(json.get("exitCode").asInt()).isEqualTo(2);
		assertThat(json.get("secretsDir").asString()).isEqualTo(this.secrets.toString());
		JsonNode finding = json.get("findings").get(0);
		assertThat(finding.get("check").asString()).isEqualTo("secrets");
		assertThat(finding.get("kind").asString()).isEqualTo("problem");
		assertThat(finding.get("subject").asString()).isEqualTo(this.secrets.resolve("crypto_key").toString());
		assertThat(finding.get("description").asString()).contains("is shorter than the 32 characters required");
		assertThat(json.toString()).doesNotContain("too-short");
	}

	@Test
	void preflightWhenACheckIsSetToWarnPassesAndListsTheWarning() throws IOException {
		Path key = write("crypto_key", CRYPTO_KEY);
		Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-rw-rw-"));
		preflight("secrets.permission-check", "warn");
		PreflightReport report = onlyReport();
		assertThat(report.status()).isEqualTo(PreflightStatus.PASSED);
		assertThat(report.findings()).filteredOn(PreflightFinding::warning)
			.singleElement()
			.satisfies((warning) -> assertThat(warning.action()).contains("chmod o-w"));
		assertThat(report.render(PreflightFormat.TEXT)).contains("Warnings:");
	}

	@Test
	void preflightWhenTheSameFileFailsThePermissionRuleReportsExitCodeTwo() throws IOException {
		Path key = write("crypto_key", CRYPTO_KEY);
		Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-rw-rw-"));
		preflight();
		assertThat(onlyReport().exitCode()).isEqualTo(2);
	}

	@Test
	void preflightWhenMountedSecretsAreOffReportsNotCheckedWithExitCodeFive() {
		preflight("secrets.enabled", "false");
		PreflightReport report = onlyReport();
		assertThat(report.status()).isEqualTo(PreflightStatus.NOT_CHECKED);
		assertThat(report.exitCode()).isEqualTo(5);
	}

	@Test
	void preflightWhenTheDatabaseIsAskedForWithoutAUrlReportsNotChecked() throws IOException {
		write("db_password_server", "db-password-9e1f");
		preflight("secrets.preflight.database", "true");
		PreflightReport report = onlyReport();
		assertThat(report.checks()).containsExactly("secrets", "database");
		assertThat(report.status()).isEqualTo(PreflightStatus.NOT_CHECKED);
		assertThat(report.render(PreflightFormat.TEXT)).contains("spring.datasource.url is not set");
	}

	@Test
	void startWhenPreflightIsNotAskedForLeavesTheReportOut() throws IOException {
		write("crypto_key", CRYPTO_KEY);
		StandardEnvironment environment = environment(settings());
		postProcessor().postProcessEnvironment(environment, new SpringApplication());
		assertThat(this.reports).isEmpty();
		assertThat(environment.getProperty("secrets.file.crypto_key")).isEqualTo(CRYPTO_KEY);
	}

	private StandardEnvironment preflight(String... keyValues) {
		Map<String, Object> settings = settings(keyValues);
		settings.put("secrets.preflight.enabled", "true");
		return preflight(settings);
	}

	private StandardEnvironment preflight(Map<String, Object> settings) {
		settings.put("secrets.preflight.enabled", "true");
		StandardEnvironment environment = environment(settings);
		postProcessor().postProcessEnvironment(environment, new SpringApplication());
		return environment;
	}

	private Map<String, Object> settings(String... keyValues) {
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("secrets.dir", this.secrets.toString());
		for (int i = 0; i < keyValues.length; i += 2) {
			settings.put(keyValues[i], keyValues[i + 1]);
		}
		return settings;
	}

	private static StandardEnvironment environment(Map<String, Object> settings) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", new LinkedHashMap<>(settings)));
		return environment;
	}

	private SecretsEnvironmentPostProcessor postProcessor() {
		return new SecretsEnvironmentPostProcessor(LOGS, SecretsSourceFactory.PLAIN, (report, format) -> {
			this.reports.add(report);
			this.formats.add(format);
		});
	}

	private PreflightReport onlyReport() {
		assertThat(this.reports).hasSize(1);
		return this.reports.get(0);
	}

	private Path write(String name, String content) throws IOException {
		return Files.write(this.secrets.resolve(name), content.getBytes(StandardCharsets.UTF_8));
	}

}
