package dev.mountedsecrets;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.json.JsonParserFactory;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata IDEs read: every {@code secrets.*} setting documented, and every
 * enum-like setting with a value hint per choice, so that {@code fail|warn|off} complete.
 */
class ConfigurationMetadataTests {

	private final Map<String, Object> metadata = read();

	@Test
	void metadataWhenSettingIsEnumHintsEveryValue() {
		List<Map<String, Object>> enumSettings = properties().stream()
			.filter((property) -> property.get("type") != null && isEnum((String) property.get("type")))
			.toList();
		assertThat(enumSettings).extracting((property) -> property.get("name"))
			.contains("secrets.permission-check", "secrets.environment-check", "secrets.datasource.least-privilege");
		Map<String, List<String>> hinted = new LinkedHashMap<>();
		for (Map<String, Object> hint : list(this.metadata.get("hints"))) {
			hinted.put((String) hint.get("name"),
					list(hint.get("values")).stream().map((value) -> (String) value.get("value")).toList());
		}
		for (Map<String, Object> setting : enumSettings) {
			Class<?> type = ClassUtils.resolveClassName((String) setting.get("type"), null);
			List<String> constants = Arrays.stream(type.getEnumConstants())
				.map((constant) -> ((Enum<?>) constant).name().toLowerCase())
				.toList();
			assertThat(hinted.get((String) setting.get("name"))).as((String) setting.get("name"))
				.containsExactlyInAnyOrderElementsOf(constants);
		}
	}

	@Test
	void metadataWhenSettingIsDeclaredHasDescription() {
		assertThat(properties()).isNotEmpty().allSatisfy((property) -> assertThat(property.get("description"))
			.as((String) property.get("name")).isNotNull());
	}

	@Test
	void metadataWhenDirNotSetShowsDefaultAndSystemdFallback() {
		Map<String, Object> dir = properties().stream()
			.filter((property) -> "secrets.dir".equals(property.get("name")))
			.findFirst()
			.orElseThrow();
		assertThat(dir.get("defaultValue")).isEqualTo("/run/secrets");
		assertThat((String) dir.get("description")).contains("$CREDENTIALS_DIRECTORY");
	}

	private List<Map<String, Object>> properties() {
		return list(this.metadata.get("properties")).stream()
			.filter((property) -> ((String) property.get("name")).startsWith("secrets."))
			.toList();
	}

	private static boolean isEnum(String type) {
		return ClassUtils.isPresent(type, null) && ClassUtils.resolveClassName(type, null).isEnum();
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> list(Object value) {
		return (List<Map<String, Object>>) value;
	}

	/**
	 * The configuration metadata generated for the starter (not the test classes').
	 * @return the metadata as a map
	 */
	static Map<String, Object> read() {
		String ours = SecretsProperties.class.getProtectionDomain().getCodeSource().getLocation().getPath();
		try {
			for (URL url : Collections.list(ConfigurationMetadataTests.class.getClassLoader()
				.getResources("META-INF/spring-configuration-metadata.json"))) {
				if (url.getPath().contains(ours)) {
					try (InputStream in = url.openStream()) {
						return JsonParserFactory.getJsonParser()
							.parseMap(new String(in.readAllBytes(), StandardCharsets.UTF_8));
					}
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		throw new IllegalStateException("No configuration metadata generated beside " + ours);
	}

}
