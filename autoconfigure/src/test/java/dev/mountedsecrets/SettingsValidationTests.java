package dev.mountedsecrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Every {@code secrets.*} setting of the configuration metadata, given a value out of its
 * range, fails start-up with a report that names the setting, the value and what is allowed.
 * The table must have a row for every setting the metadata declares, so a new setting without
 * a row (and so without validation) fails the build.
 */
@ExtendWith(OutputCaptureExtension.class)
class SettingsValidationTests {

	/** A bad value for each setting, and what the report says is allowed. */
	private static final Map<String, Row> TABLE = new LinkedHashMap<>();

	static {
		row("secrets.enabled", "maybe", "Invalid boolean value 'maybe'");
		row("secrets.dir", "{file}", "is a file, not a folder");
		row("secrets.mappings", "secrets.mappings.crypto_key", "Not A Property!",
				"must list property names, such as spring.data.redis.password");
		row("secrets.required", "../etc/passwd", "is not a file name inside secrets.dir");
		row("secrets.min-length", "secrets.min-length.crypto_key", "-1", "must be between 0 and 1000000 characters");
		row("secrets.max-file-size", "0B", "secrets.max-file-size must be between 1B and 16MB");
		row("secrets.include-subfolders", "maybe", "Invalid boolean value 'maybe'");
		row("secrets.permission-check", "sometimes", "The following values are valid");
		row("secrets.allow-external-links", "maybe", "Invalid boolean value 'maybe'");
		row("secrets.owner-check", "sometimes", "The following values are valid");
		row("secrets.trusted-owners", "-1", "secrets.trusted-owners must list user ids (numbers from 0 to 4294967294)");
		row("secrets.read-timeout", "0s", "secrets.read-timeout must be between 1ms and 1h");
		row("secrets.reject-placeholders", "maybe", "Invalid boolean value 'maybe'");
		row("secrets.environment-check", "sometimes", "The following values are valid");
		row("secrets.file-variables.enabled", "maybe", "Invalid boolean value 'maybe'");
		row("secrets.file-variables.ignored", "SSL_CERT", "must list environment variable names ending in _FILE");
		row("secrets.reload.enabled", "maybe", "Invalid boolean value 'maybe'");
		row("secrets.reload.quiet-period", "-1s", "secrets.reload.quiet-period must be between 0s and 1h");
		row("secrets.reload.poll-interval", "0s", "secrets.reload.poll-interval must be between 1ms and 1d");
		row("secrets.datasource.least-privilege", "sometimes", "The following values are valid");
		row("secrets.preflight.enabled", "maybe", "Invalid boolean value 'maybe'");
		row("secrets.preflight.format", "yaml", "The following values are valid");
		row("secrets.preflight.database", "maybe", "Invalid boolean value 'maybe'");
	}

	@TempDir
	Path dir;

	@Test
	void tableWhenMetadataDeclaresSettingHasRow() {
		assertThat(TABLE.keySet()).as("a row (a bad value and the report's words) for every setting")
			.containsExactlyInAnyOrderElementsOf(declaredSettings());
	}

	@ParameterizedTest(name = "{0}={1}")
	@MethodSource("rows")
	void startWhenSettingOutOfRangeFailsNamingSettingValueAndRange(String key, String value, String allowed,
			CapturedOutput output) throws IOException {
		Path file = Files.writeString(this.dir.resolve("a-file"), "not a folder");
		String resolved = value.replace("{file}", file.toString());
		List<String> args = key.equals("secrets.dir") ? List.of("--" + key + "=" + resolved)
				: List.of("--secrets.dir=" + this.dir, "--" + key + "=" + resolved);
		assertThatException().isThrownBy(() -> TestApplications.run(args.toArray(String[]::new)).close());
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START").contains(key).contains(resolved).contains(allowed);
	}

	@Test
	void startWhenSettingsAtTheEdgesOfTheirRangesStarts() {
		TestApplications.run("--secrets.dir=" + this.dir, "--secrets.read-timeout=1ms",
				"--secrets.max-file-size=16MB", "--secrets.min-length.crypto_key=0", "--secrets.reload.quiet-period=0s",
				"--secrets.reload.poll-interval=1ms", "--secrets.mappings.my_file=app.key,other.key,myApp.apiKey,app.api_key",
				"--secrets.file-variables.ignored=MY_TOOL_FILE", "--secrets.trusted-owners=0,4294967294")
			.close();
	}

	static Stream<Arguments> rows() {
		return TABLE.values().stream().map((row) -> Arguments.of(row.key(), row.value(), row.allowed()));
	}

	private static void row(String setting, String value, String allowed) {
		row(setting, setting, value, allowed);
	}

	private static void row(String setting, String key, String value, String allowed) {
		TABLE.put(setting, new Row(key, value, allowed));
	}

	@SuppressWarnings("unchecked")
	private static List<String> declaredSettings() {
		return ((List<Map<String, Object>>) ConfigurationMetadataTests.read().get("properties")).stream()
			.map((property) -> (String) property.get("name"))
			.filter((name) -> name.startsWith("secrets."))
			.toList();
	}

	private record Row(String key, String value, String allowed) {

	}

}
