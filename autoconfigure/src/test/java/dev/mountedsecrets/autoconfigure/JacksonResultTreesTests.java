package dev.mountedsecrets.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.mountedsecrets.MountedSecrets;
import dev.mountedsecrets.SecretFile;
import dev.mountedsecrets.SecretMappings;
import dev.mountedsecrets.SecretsProperties;
import dev.mountedsecrets.SecretsPropertySource;
import dev.mountedsecrets.SecretsSnapshot;
import dev.mountedsecrets.ServedSecrets;
import dev.mountedsecrets.actuate.SecretsMaskingAdvisor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonSerialize;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.jackson.EndpointJsonMapper;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A body Boot writes with the endpoints' mapper, serialized once and masked as its
 * serializers give each value: written as the result itself would be when nothing shows a
 * secret, every string, property name and number that shows one masked otherwise, and left
 * to the tree (made from the written bytes) when a serializer gives what only the bytes show.
 */
class JacksonResultTreesTests {

	private static final String SECRET = "Replayed-Secret-7c1e5a";

	private static final JsonMapper WRITER = JsonMapper.builder().build();

	private final JacksonResultTrees trees = trees(true);

	@Test
	void maskedWhenNothingShowsASecretIsWrittenAsTheResultItself(@TempDir Path dir) {
		Plain result = new Plain("shown", Map.of("name", List.of(7, 2.5, 12345678901L)), List.of("a", "b"));
		OperationResponseBody masked = this.trees.masked(result, served(dir, "other-served-value-1"));
		assertThat(masked).isNotNull().isNotSameAs(result);
		assertThat(WRITER.writeValueAsString(masked)).isEqualTo(WRITER.writeValueAsString(result));
		assertThat(WRITER.writeValueAsString(masked)).as("written again").isEqualTo(WRITER.writeValueAsString(result));
	}

	@Test
	void maskedWhenStringNameOrNumberShowsSecretMasksEachAndKeepsTheRest(@TempDir Path dir) {
		Map<String, Object> nested = new LinkedHashMap<>();
		nested.put(SECRET, "value-under-a-secret-name");
		nested.put("url", "redis://:" + SECRET + "@cache:6379");
		nested.put("pin", 9081726354L);
		nested.put("count", 3);
		Plain result = new Plain(SECRET, nested, List.of("visible", SECRET));
		String written = WRITER.writeValueAsString(this.trees.masked(result, served(dir, SECRET, "9081726354")));
		assertThat(written).doesNotContain(SECRET)
			.doesNotContain("9081726354")
			.contains("\"value\":\"******\"", "\"******\":\"value-under-a-secret-name\"",
					"\"url\":\"redis://:******@cache:6379\"", "\"pin\":\"******\"", "\"count\":3",
					"[\"visible\",\"******\"]");
	}

	@Test
	void maskedWhenConvertedAsJmxDoesGivesMaskedTree(@TempDir Path dir) {
		Plain result = new Plain(SECRET, Map.of(), List.of("visible"));
		Object tree = WRITER.convertValue(this.trees.masked(result, served(dir, SECRET)), Object.class);
		assertThat(tree).isEqualTo(Map.of("value", "******", "nested", Map.of(), "list", List.of("visible")));
	}

	@Test
	void maskedWhenSerializerGivesRawValueBinaryOrBytesLeavesItToTheTree(@TempDir Path dir) {
		ServedSecrets served = served(dir, SECRET);
		assertThat(this.trees.masked(new RawBody("visible", "{\"k\":\"x\"}"), served)).isNull();
		assertThat(this.trees.masked(new Binary(SECRET.getBytes(StandardCharsets.UTF_8)), served)).isNull();
		assertThat(this.trees.masked(new Utf8(SECRET), served)).isNull();
		assertThat(this.trees.masked(new ShownThenRaw(SECRET, "{\"k\":\"" + SECRET + "\"}"), served))
			.as("a raw value after a string that shows a secret").isNull();
	}

	@Test
	void maskedWhenEndpointsAreWrittenByTheApplicationsConvertersLeavesItToTheTree(@TempDir Path dir) {
		assertThat(trees(false).masked(new Plain("shown", Map.of(), List.of()), served(dir, SECRET))).isNull();
	}

	@Test
	void maskedBodyToStringShowsNoValue(@TempDir Path dir) {
		OperationResponseBody masked = this.trees.masked(new Plain("ordinary-value", Map.of(), List.of()),
				served(dir, SECRET));
		assertThat(String.valueOf(masked)).doesNotContain("ordinary-value");
	}

	@Test
	void adviceWhenRawValueShowsSecretMasksItAsWritten(@TempDir Path dir) throws Exception {
		String secret = "Raw-Value-Secret-\u00e9-5d2c91";
		RawBody body = new RawBody("visible", "{\"k\":\"" + secret + "\"}");
		String written = WRITER.writeValueAsString(advise(dir, secret, body));
		assertThat(written).contains("visible").doesNotContain(secret).doesNotContain("Raw-Value-Secret");
	}

	@Test
	void adviceWhenStringShowsSecretBeforeRawValueHoldingOneMasksBoth(@TempDir Path dir) throws Exception {
		String written = WRITER.writeValueAsString(
				advise(dir, SECRET, new ShownThenRaw("k=" + SECRET, "{\"raw\":\"" + SECRET + "\"}")));
		assertThat(written).contains("k=******").doesNotContain(SECRET);
	}

	@Test
	void adviceWhenBodyShowsSecretAnswersItMaskedWithoutATree(@TempDir Path dir) throws Exception {
		Object masked = advise(dir, SECRET, new Plain("visible", Map.of("k", SECRET), List.of()));
		assertThat(masked).isInstanceOf(OperationResponseBody.class).isNotInstanceOf(Map.class);
		assertThat(WRITER.writeValueAsString(masked)).contains("visible").doesNotContain(SECRET);
	}

	/** The result of a custom endpoint as the advisor answers it, one secret served from a file. */
	private Object advise(Path dir, String secret, Object body) throws Exception {
		StandardEnvironment environment = new StandardEnvironment();
		SecretsSnapshot snapshot = new SecretsSnapshot(dir, true,
				Map.of("key", new SecretFile("key", dir.resolve("key"), secret)), List.of(), List.of());
		environment.getPropertySources()
			.addLast(new SecretsPropertySource(snapshot, SecretMappings.withOverrides(Map.of())));
		SecretsMaskingAdvisor advisor = new SecretsMaskingAdvisor(new MountedSecrets(environment, new SecretsProperties()),
				() -> this.trees);
		return advisor.apply(EndpointId.of("custom"), OperationType.READ, null, (context) -> body).invoke(null);
	}

	private static ServedSecrets served(Path dir, String... values) {
		ServedSecrets served = ServedSecrets.forFolder(dir);
		served.record(List.of(values));
		return served;
	}

	private static JacksonResultTrees trees(boolean isolated) {
		DefaultListableBeanFactory beans = beans(isolated);
		return new JacksonResultTrees(beans.getBeanProvider(EndpointJsonMapper.class),
				beans.getBeanProvider(JsonMapper.class));
	}

	private static DefaultListableBeanFactory beans(boolean isolated) {
		DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
		if (isolated) {
			beans.registerSingleton("endpointMapper", (EndpointJsonMapper) () -> JsonMapper.builder().build());
		}
		return beans;
	}

	record Plain(String value, Map<String, ?> nested, List<String> list) implements OperationResponseBody {

	}

	record RawBody(String ordinary, @JsonRawValue String raw) implements OperationResponseBody {

	}

	record ShownThenRaw(String shown, @JsonRawValue String raw) implements OperationResponseBody {

	}

	record Binary(byte[] bytes) implements OperationResponseBody {

	}

	record Utf8(@JsonSerialize(using = Utf8StringSerializer.class) String value) implements OperationResponseBody {

	}

	/** Writes a string as UTF-8 bytes, which a token buffer does not take. */
	static class Utf8StringSerializer extends ValueSerializer<String> {

		@Override
		public void serialize(String value, JsonGenerator generator, SerializationContext context) {
			byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
			generator.writeUTF8String(bytes, 0, bytes.length);
		}

	}

}
