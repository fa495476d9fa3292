package dev.mountedsecrets.autoconfigure;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
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
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.http.converter.StringHttpMessageConverter;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A body Boot writes with the endpoints' mapper is looked at once, as its serializers give each
 * value to the writer, and answered as it is only when no string, property name or number
 * shows a secret and the writer is that mapper; anything else (a secret, a raw value, binary, a
 * number written as text, another preferred JSON writer) goes to the tree, made from the
 * written bytes.
 */
class JacksonResultTreesTests {

	private static final String SECRET = "Looked-At-Secret-7c1e5a";

	private static final JsonMapper WRITER = JsonMapper.builder().build();

	private final JacksonResultTrees trees = trees(true, new MockEnvironment());

	@Test
	void showsNoSecretWhenNoStringNameOrNumberShowsOneIsTrue(@TempDir Path dir) {
		Plain result = new Plain("shown", Map.of("name", List.of(7, 2.5, 12345678901L)), List.of("a", "b"));
		assertThat(this.trees.showsNoSecret(result, served(dir, "other-served-value-1", "90817263"))).isTrue();
	}

	@Test
	void showsNoSecretWhenStringNameOrNumberShowsOneIsFalse(@TempDir Path dir) {
		ServedSecrets served = served(dir, SECRET, "9081726354");
		assertThat(this.trees.showsNoSecret(new Plain(SECRET, Map.of(), List.of()), served)).isFalse();
		assertThat(this.trees.showsNoSecret(new Plain("v", Map.of(SECRET, "x"), List.of()), served)).isFalse();
		assertThat(this.trees.showsNoSecret(new Plain("v", Map.of("url", "redis://:" + SECRET + "@h"), List.of()),
				served))
			.isFalse();
		assertThat(this.trees.showsNoSecret(new Plain("v", Map.of("pin", 9081726354L), List.of()), served)).isFalse();
		assertThat(this.trees.showsNoSecret(new Plain("v", Map.of(), List.of("visible", SECRET)), served)).isFalse();
	}

	@Test
	void showsNoSecretWhenNumberIsWrittenAsTextIsFalse(@TempDir Path dir) {
		LongAdder pin = new LongAdder();
		pin.add(12345678);
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("pin", pin);
		ServedSecrets served = served(dir, "12345678");
		assertThat(this.trees.showsNoSecret(new Plain("v", details, List.of()), served))
			.as("Jackson writes a LongAdder as text: the written bytes decide").isFalse();
		assertThat(this.trees.showsNoSecret(new Plain("v", Map.of("d", new BigDecimal("1.2345678E+7")), List.of()),
				served))
			.as("a BigDecimal written plain").isFalse();
	}

	@Test
	void showsNoSecretWhenSerializerGivesRawValueBinaryOrBytesIsFalse(@TempDir Path dir) {
		ServedSecrets served = served(dir, SECRET);
		assertThat(this.trees.showsNoSecret(new RawBody("visible", "{\"k\":\"x\"}"), served)).isFalse();
		assertThat(this.trees.showsNoSecret(new Binary("x".getBytes(StandardCharsets.UTF_8)), served)).isFalse();
		assertThat(this.trees.showsNoSecret(new Utf8("visible"), served)).isFalse();
	}

	@Test
	void showsNoSecretWhenEndpointsAreWrittenByAnotherWriterIsFalse(@TempDir Path dir) {
		Plain clean = new Plain("shown", Map.of(), List.of());
		ServedSecrets served = served(dir, SECRET);
		assertThat(trees(false, new MockEnvironment()).showsNoSecret(clean, served)).as("no isolated mapper")
			.isFalse();
		for (String preferred : List.of("gson", "jsonb", "jackson2")) {
			MockEnvironment environment = new MockEnvironment()
				.withProperty("spring.http.converters.preferred-json-mapper", preferred);
			assertThat(trees(true, environment).showsNoSecret(clean, served)).as(preferred).isFalse();
		}
		assertThat(trees(true, new MockEnvironment().withProperty("spring.http.codecs.preferred-json-mapper", "gson"))
			.showsNoSecret(clean, served)).isFalse();
		assertThat(trees(true,
				new MockEnvironment().withProperty("spring.http.converters.preferred-json-mapper", " Jackson "))
			.showsNoSecret(clean, served)).isTrue();
	}

	@Test
	void showsNoSecretWhenApplicationDefinesAnotherJsonConverterIsFalse(@TempDir Path dir) {
		Plain clean = new Plain("shown", Map.of(), List.of());
		ServedSecrets served = served(dir, SECRET);
		DefaultListableBeanFactory withString = new DefaultListableBeanFactory();
		withString.registerSingleton("text", new StringHttpMessageConverter());
		assertThat(trees(true, new MockEnvironment(), withString).showsNoSecret(clean, served))
			.as("a converter that writes no JSON body").isTrue();
		DefaultListableBeanFactory withOther = new DefaultListableBeanFactory();
		withOther.registerSingleton("otherJson", new AnyJsonConverter());
		assertThat(trees(true, new MockEnvironment(), withOther).showsNoSecret(clean, served))
			.as("a JSON converter Spring puts before Boot's").isFalse();
	}

	@Test
	void showsNoSecretWhenJmxMapperShowsWhatEndpointMapperDoesNotIsFalse(@TempDir Path dir) {
		ServedSecrets served = served(dir, SECRET);
		Hidden body = new Hidden("visible", SECRET);
		DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
		beans.registerSingleton("applicationMapper", JsonMapper.builder()
			.changeDefaultVisibility((visibility) -> visibility.withFieldVisibility(JsonAutoDetect.Visibility.ANY))
			.build());
		assertThat(trees(true, new MockEnvironment(), beans).showsNoSecret(body, served)).as("JMX off").isTrue();
		DefaultListableBeanFactory jmxBeans = new DefaultListableBeanFactory();
		jmxBeans.registerSingleton("applicationMapper", beans.getBean(JsonMapper.class));
		assertThat(trees(true, new MockEnvironment().withProperty("spring.jmx.enabled", "true"), jmxBeans)
			.showsNoSecret(body, served))
			.as("JMX converts with the application's mapper, which shows the field").isFalse();
	}

	@Test
	void adviceWhenRawValueShowsSecretMasksItAsWritten(@TempDir Path dir) throws Exception {
		String secret = "Raw-Value-Secret-\u00e9-5d2c91";
		RawBody body = new RawBody("visible", "{\"k\":\"" + secret + "\"}");
		String written = WRITER.writeValueAsString(advise(dir, secret, body));
		assertThat(written).contains("visible").doesNotContain(secret).doesNotContain("Raw-Value-Secret");
	}

	@Test
	void adviceWhenNumberWrittenAsTextShowsSecretMasksIt(@TempDir Path dir) throws Exception {
		LongAdder pin = new LongAdder();
		pin.add(90817263);
		String written = WRITER.writeValueAsString(advise(dir, "90817263", new Plain("v", Map.of("pin", pin), List.of())));
		assertThat(written).contains("\"pin\":\"******\"").doesNotContain("90817263");
	}

	@Test
	void adviceWhenBodyShowsNoSecretAnswersItAsItIs(@TempDir Path dir) throws Exception {
		Plain body = new Plain("visible", Map.of("k", "v"), List.of());
		assertThat(advise(dir, SECRET, body)).isSameAs(body);
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

	private static JacksonResultTrees trees(boolean isolated, MockEnvironment environment) {
		return trees(isolated, environment, new DefaultListableBeanFactory());
	}

	private static JacksonResultTrees trees(boolean isolated, MockEnvironment environment,
			DefaultListableBeanFactory beans) {
		if (isolated) {
			beans.registerSingleton("endpointMapper", (EndpointJsonMapper) () -> JsonMapper.builder().build());
		}
		return new JacksonResultTrees(beans.getBeanProvider(EndpointJsonMapper.class),
				beans.getBeanProvider(JsonMapper.class), environment, beans);
	}

	/** A secret in a field with no getter: shown only by a mapper that reads fields. */
	static final class Hidden implements OperationResponseBody {

		private final String shown;

		@SuppressWarnings("unused")
		private final String hidden;

		Hidden(String shown, String hidden) {
			this.shown = shown;
			this.hidden = hidden;
		}

		public String getShown() {
			return this.shown;
		}

	}

	/** A converter that writes any object as JSON, as Gson's does. */
	static final class AnyJsonConverter extends AbstractHttpMessageConverter<Object> {

		AnyJsonConverter() {
			super(MediaType.APPLICATION_JSON);
		}

		@Override
		protected boolean supports(Class<?> type) {
			return true;
		}

		@Override
		protected Object readInternal(Class<?> type, HttpInputMessage input) {
			throw new UnsupportedOperationException();
		}

		@Override
		protected void writeInternal(Object value, HttpOutputMessage output) {
			throw new UnsupportedOperationException();
		}

	}

	record Plain(String value, Map<String, ?> nested, List<String> list) implements OperationResponseBody {

	}

	record RawBody(String ordinary, @JsonRawValue String raw) implements OperationResponseBody {

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
