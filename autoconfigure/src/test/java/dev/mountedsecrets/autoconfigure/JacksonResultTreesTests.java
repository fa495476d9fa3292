package dev.mountedsecrets.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.annotation.JsonRawValue;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.actuate.endpoint.jackson.EndpointJsonMapper;

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

	record Result(String value, Map<String, List<Number>> nested, @JsonRawValue String raw) {

	}

}
