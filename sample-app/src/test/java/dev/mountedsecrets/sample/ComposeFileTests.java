package dev.mountedsecrets.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks of the Compose file that need no engine: the secrets the services use are declared,
 * each declared secret is a file the generator creates with permissions the containers can
 * read, no environment entry carries a secret, the Compose run configures the app like the
 * local run does, CI's override only swaps images, and the local sign-in overlay reads the same
 * secret files and is the app's issuer. The stack itself runs in {@code .ci/compose-check}.
 */
class ComposeFileTests {

	private static final Pattern SECRET_LIKE_NAME = Pattern.compile(".*(PASSWORD|SECRET|_KEY|TOKEN).*");

	private static final String LOCAL_PROVIDER = "compose.local-provider.yaml";

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
		assertThat(secretsInEnvironment(services())).isEmpty();
		assertThat(secretsInEnvironment(services(load(Path.of(LOCAL_PROVIDER))))).isEmpty();
	}

	@Test
	void localProviderOverlayReadsTheSameSecretFilesAndIsTheAppsIssuer() {
		Map<String, Object> overlay = load(Path.of(LOCAL_PROVIDER));
		Map<String, Object> overlaySecrets = map(overlay.get("secrets"));
		assertThat(overlaySecrets).containsOnlyKeys(GenerateSecrets.LOCAL_LOGIN_PASSWORD);
		assertThat(map(overlaySecrets.get(GenerateSecrets.LOCAL_LOGIN_PASSWORD)))
			.containsEntry("file", "./secrets/" + GenerateSecrets.LOCAL_LOGIN_PASSWORD);
		Map<String, Object> provider = services(overlay).get("provider");
		assertThat(list(provider.get("secrets"))).containsExactlyInAnyOrder("google_oauth_client_id",
				"google_oauth_client_secret", GenerateSecrets.LOCAL_LOGIN_PASSWORD);
		assertThat(provider).doesNotContainKey("environment").doesNotContainKey("image");
		assertThat(map(provider.get("build"))).containsEntry("dockerfile", "sample-app/Dockerfile")
			.containsEntry("target", "local-provider");
		Map<String, Object> app = services(overlay).get("app");
		assertThat(app).containsOnlyKeys("environment", "depends_on");
		assertThat(list(provider.get("command")))
			.contains("--issuer=" + map(app.get("environment")).get("SPRING_SECURITY_OAUTH2_CLIENT_PROVIDER_GOOGLE_ISSUER_URI"));
	}

	private static List<String> secretsInEnvironment(Map<String, Map<String, Object>> services) {
		List<String> offenders = new ArrayList<>();
		services.forEach((name, service) -> map(service.getOrDefault("environment", Map.of())).forEach((key, value) -> {
			boolean secretName = SECRET_LIKE_NAME.matcher(key).matches() && !key.endsWith("_FILE");
			boolean fileOutsideSecrets = key.endsWith("_FILE") && !String.valueOf(value).startsWith("/run/secrets/");
			if (secretName || fileOutsideSecrets) {
				offenders.add(name + "." + key);
			}
		}));
		return offenders;
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
	void generateMissingWhenFolderIsNewMakesFolderPrivateAndFilesReadableByContainerUsers(@TempDir Path tmp)
			throws IOException {
		Path dir = tmp.resolve("secrets");
		GenerateSecrets.generateMissing(dir);
		assertThat(mode(dir)).isEqualTo("rwx------");
		for (String name : GenerateSecrets.names()) {
			assertThat(mode(dir.resolve(name))).as(name).isEqualTo("rw-r--r--");
		}
		assertThat(mode(dir.resolve(GenerateSecrets.LOCAL_LOGIN_PASSWORD))).isEqualTo("rw-r--r--");
	}

	@Test
	void generateMissingWhenFilesArePrivateMakesThemReadableAndKeepsValues(@TempDir Path tmp) throws IOException {
		Path dir = Files.createDirectory(tmp.resolve("secrets"),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
		Path older = Files.writeString(dir.resolve("crypto_key"), "an older run's key, kept as it is\n");
		Files.setPosixFilePermissions(older, PosixFilePermissions.fromString("rw-------"));
		List<String> created = GenerateSecrets.generateMissing(dir);
		assertThat(created).doesNotContain("crypto_key")
			.hasSize(GenerateSecrets.names().size())
			.contains(GenerateSecrets.LOCAL_LOGIN_PASSWORD);
		assertThat(Files.readString(older)).isEqualTo("an older run's key, kept as it is\n");
		assertThat(mode(older)).isEqualTo("rw-r--r--");
		assertThat(mode(dir)).isEqualTo("rwx------");
	}

	@Test
	void serviceSecretsWhenLongSyntaxCarryNoOwnerOrModeThatComposeIgnores() {
		// Compose without Swarm bind-mounts file secrets and ignores uid, gid and mode (docker-compose
		// 1.29 warns, Compose v2 warns): permissions come from the generator, not from here.
		services().forEach((name, service) -> {
			if (service.get("secrets") instanceof List<?> items) {
				items.stream()
					.filter(Map.class::isInstance)
					.forEach((item) -> assertThat(map(item)).as(name).doesNotContainKeys("uid", "gid", "mode"));
			}
		});
	}

	@Test
	void ciOverrideOnlySwapsImagesOfServicesOfTheComposeFile() {
		Map<String, Object> override = load(Path.of("compose.ci.yaml"));
		assertThat(override).containsOnlyKeys("services");
		Map<String, Object> overridden = map(override.get("services"));
		assertThat(services()).containsKeys(overridden.keySet().toArray(String[]::new));
		overridden.forEach((name, service) -> {
			assertThat(map(service)).as(name).containsOnlyKeys("image");
			assertThat(String.valueOf(map(service).get("image"))).as(name).startsWith("localhost/");
		});
		services().forEach((name, service) -> assertThat(service.containsKey("image"))
			.as(name + " has an image, so CI needs a stand-in for it")
			.isEqualTo(overridden.containsKey(name)));
	}

	@Test
	void secretsFolderIsIgnoredByGit() throws IOException {
		assertThat(Files.readAllLines(Path.of(".gitignore"))).contains("secrets/");
	}

	private static String mode(Path path) throws IOException {
		return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
	}

	private Map<String, Map<String, Object>> services() {
		return services(this.compose);
	}

	private static Map<String, Map<String, Object>> services(Map<String, Object> compose) {
		Map<String, Map<String, Object>> services = new LinkedHashMap<>();
		map(compose.get("services")).forEach((name, service) -> services.put(name, map(service)));
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
