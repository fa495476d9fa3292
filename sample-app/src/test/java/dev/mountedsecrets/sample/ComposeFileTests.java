package dev.mountedsecrets.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks what Docker Compose cannot be run here to check: the secrets the services use are
 * declared, each declared secret is a file the generator creates, no environment entry
 * carries a secret, and the Compose run configures the app like the local run does.
 */
class ComposeFileTests {

	private static final Pattern SECRET_LIKE_NAME = Pattern.compile(".*(PASSWORD|SECRET|_KEY|TOKEN).*");

	private final Map<String, Object> compose = load(Path.of("compose.yaml"));

	@Test
	void everySecretAServiceUsesIsDeclared() {
		Set<String> declared = secrets().keySet();
		services().forEach((name, service) -> assertThat(declared).as("secrets of " + name)
			.containsAll(list(service.get("secrets"))));
	}

	@Test
	void everyDeclaredSecretIsAFileTheGeneratorCreates() {
		assertThat(secrets().keySet()).containsExactlyInAnyOrderElementsOf(GenerateSecrets.names());
		secrets().forEach((name, secret) -> assertThat(map(secret)).containsEntry("file", "./secrets/" + name));
	}

	@Test
	void appReceivesEverySecretFile() {
		assertThat(list(services().get("app").get("secrets"))).containsExactlyInAnyOrderElementsOf(
				GenerateSecrets.names());
	}

	@Test
	void noEnvironmentEntryCarriesASecret() {
		List<String> offenders = new ArrayList<>();
		services().forEach((name, service) -> map(service.getOrDefault("environment", Map.of())).forEach((key, value) -> {
			boolean secretName = SECRET_LIKE_NAME.matcher(key).matches() && !key.endsWith("_FILE");
			boolean fileOutsideSecrets = key.endsWith("_FILE") && !String.valueOf(value).startsWith("/run/secrets/");
			if (secretName || fileOutsideSecrets) {
				offenders.add(name + "." + key);
			}
		}));
		assertThat(offenders).isEmpty();
	}

	@Test
	void postgresTakesItsPasswordFromTheSecretFile() {
		assertThat(map(services().get("postgres").get("environment")))
			.containsEntry("POSTGRES_PASSWORD_FILE", "/run/secrets/postgres_password")
			.doesNotContainKey("POSTGRES_PASSWORD");
	}

	@Test
	void appEnvironmentOnlyFillsPlaceholdersOfApplicationYaml() throws IOException {
		String applicationYaml = Files.readString(Path.of("src/main/resources/application.yml"));
		for (String key : map(services().get("app").get("environment")).keySet()) {
			assertThat(applicationYaml).as("application.yml uses ${" + key + "}").contains("${" + key + ":");
		}
	}

	@Test
	void dockerfileIsMultiStageAndRunsAsNonRoot() throws IOException {
		List<String> lines = Files.readAllLines(Path.of("Dockerfile"));
		assertThat(lines.stream().filter((line) -> line.startsWith("FROM ")).count()).isGreaterThanOrEqualTo(2);
		String user = lines.stream().filter((line) -> line.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
		assertThat(user).isNotIn("USER root", "USER 0");
		assertThat(lines).noneMatch((line) -> line.startsWith("ENV ") || line.startsWith("ARG "));
	}

	@Test
	void secretsFolderIsIgnoredByGit() throws IOException {
		assertThat(Files.readAllLines(Path.of(".gitignore"))).contains("secrets/");
	}

	private Map<String, Map<String, Object>> services() {
		Map<String, Map<String, Object>> services = new LinkedHashMap<>();
		map(this.compose.get("services")).forEach((name, service) -> services.put(name, map(service)));
		return services;
	}

	private Map<String, Object> secrets() {
		return map(this.compose.get("secrets"));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return (value != null) ? (Map<String, Object>) value : Map.of();
	}

	private static List<String> list(Object value) {
		Set<String> names = new TreeSet<>();
		if (value instanceof List<?> items) {
			items.forEach((item) -> names.add((item instanceof Map<?, ?> longSyntax) ? String.valueOf(longSyntax.get("source"))
					: String.valueOf(item)));
		}
		return List.copyOf(names);
	}

	private static Map<String, Object> load(Path path) {
		try {
			return new Yaml().load(Files.readString(path));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
