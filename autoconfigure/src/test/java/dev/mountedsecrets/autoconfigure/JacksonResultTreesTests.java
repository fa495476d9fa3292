package dev.mountedsecrets.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.nio.file.Path;

import dev.mountedsecrets.MountedSecrets;
import dev.mountedsecrets.SecretFile;
import dev.mountedsecrets.SecretMappings;
import dev.mountedsecrets.SecretsProperties;
import dev.mountedsecrets.SecretsPropertySource;
import dev.mountedsecrets.SecretsSnapshot;
import dev.mountedsecrets.actuate.SecretsMaskingAdvisor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.jackson.EndpointJsonMapper;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The check made before a tree: every string, property name and number of the written
 * output is tested, including what only the writer produces (a raw value).
 */
class JacksonResultTreesTests {

	private final JacksonResultTrees trees = trees();

	@Test
	void anyValueTestsEveryStringNameAndNumberAsWritten() {
		List<String> texts = new ArrayList<>();
		List<Number> numbers = new ArrayList<>();
		boolean any = this.trees.anyValue(new Result("shown", Map.of("name", List.of(7, 2.5)), "{\"raw\":\"inside\"}"),
				collect(texts), collect(numbers));
		assertThat(any).isFalse();
		assertThat(texts).containsExactly("value", "shown", "nested", "name", "raw", "raw", "inside");
		assertThat(numbers).containsExactly(7, 2.5);
	}

	@Test
	void anyValueWhenOneValuePassesAnswersTrue() {
		Result result = new Result("shown", Map.of(), "{\"k\":\"Raw-Secret-91c4\"}");
		assertThat(this.trees.anyValue(result, "Raw-Secret-91c4"::equals, (number) -> false)).isTrue();
		assertThat(this.trees.anyValue(result, "shown"::equals, (number) -> false)).isTrue();
		assertThat(this.trees.anyValue(new Result("x", Map.of("k", List.of(12345678)), "1"), (text) -> false,
				(number) -> number.intValue() == 12345678))
			.isTrue();
		assertThat(this.trees.anyValue(result, "absent"::equals, (number) -> true)).isFalse();
	}

	@Test
	void adviceWhenRawValueShowsSecretMasksItAsWritten(@TempDir Path dir) throws Exception {
		String secret = "Raw-Value-Secret-\u00e9-5d2c91";
		StandardEnvironment environment = new StandardEnvironment();
		SecretsSnapshot snapshot = new SecretsSnapshot(dir, true,
				Map.of("key", new SecretFile("key", dir.resolve("key"), secret)), List.of(), List.of());
		environment.getPropertySources()
			.addLast(new SecretsPropertySource(snapshot, SecretMappings.withOverrides(Map.of())));
		SecretsMaskingAdvisor advisor = new SecretsMaskingAdvisor(new MountedSecrets(environment, new SecretsProperties()),
				() -> this.trees);
		RawBody body = new RawBody("visible", "{\"k\":\"" + secret + "\"}");
		Object masked = advisor.apply(EndpointId.of("custom"), OperationType.READ, null, (context) -> body).invoke(null);
		String written = JsonMapper.builder().build().writeValueAsString(masked);
		assertThat(written).contains("visible").doesNotContain(secret).doesNotContain("Raw-Value-Secret");
	}

	private static <T> Predicate<T> collect(List<T> into) {
		return (value) -> {
			into.add(value);
			return false;
		};
	}

	private static JacksonResultTrees trees() {
		DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
		beans.registerSingleton("endpointMapper", (EndpointJsonMapper) () -> JsonMapper.builder().build());
		return new JacksonResultTrees(beans.getBeanProvider(EndpointJsonMapper.class),
				beans.getBeanProvider(JsonMapper.class));
	}

	record RawBody(String ordinary, @JsonRawValue String raw) implements OperationResponseBody {

	}

	record Result(String value, Map<String, List<Number>> nested, @JsonRawValue String raw) {

	}

}
