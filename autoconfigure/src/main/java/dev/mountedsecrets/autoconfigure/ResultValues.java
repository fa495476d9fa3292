package dev.mountedsecrets.autoconfigure;

import java.math.BigDecimal;
import java.util.Locale;

import dev.mountedsecrets.ServedSecrets;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.util.ClassUtils;

/**
 * What the Jackson glue of both Boot generations needs to tell whether an actuator body may
 * be answered as it is.
 */
final class ResultValues {

	/** The properties that choose another JSON writer than Jackson for HTTP responses. */
	private static final String[] PREFERRED_JSON_MAPPER = { "spring.http.converters.preferred-json-mapper",
			"spring.http.codecs.preferred-json-mapper" };

	private ResultValues() {
	}

	/**
	 * Whether HTTP responses are written by Jackson (the generation's own): with Gson, JSON-B
	 * or Jackson 2 on Boot 4 preferred, a body is written by a writer that reads it otherwise.
	 * @param environment the environment
	 * @return whether Jackson writes them
	 */
	static boolean jacksonWrites(Environment environment) {
		for (String property : PREFERRED_JSON_MAPPER) {
			String preferred = environment.getProperty(property);
			if (preferred != null && !preferred.strip().toLowerCase(Locale.ROOT).equals("jackson")) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Whether the application defines a message converter that writes JSON and is not one of
	 * the generation's Jackson converters: Spring puts such a bean before Boot's own, and it
	 * would write an actuator body by its own rules (Gson ignores {@code @JsonIgnore}).
	 * @param beans the application's beans
	 * @param ownConverter the class name of the generation's Jackson JSON converter
	 * @return whether one is defined
	 */
	static boolean otherJsonConverter(ListableBeanFactory beans, String ownConverter) {
		if (!ClassUtils.isPresent("org.springframework.http.converter.HttpMessageConverter",
				ResultValues.class.getClassLoader())) {
			return false;
		}
		return WebConverters.otherJsonConverter(beans, ownConverter);
	}

	/**
	 * Whether actuator endpoints may be asked over JMX ({@code spring.jmx.enabled}): their
	 * results are then converted by the application's mapper, not the endpoints' own.
	 * @param environment the environment
	 * @return whether JMX is on
	 */
	static boolean jmxEnabled(Environment environment) {
		return environment.getProperty("spring.jmx.enabled", Boolean.class, false);
	}

	/**
	 * Whether a number, as a serializer gave it to the writer, shows no served secret. A
	 * number written as text ({@code writeNumber(String)}, as Jackson writes a
	 * {@code LongAdder}) is not known clean: its text is what is written, and a parsed copy
	 * would be looked at in another form. A {@code BigDecimal} is looked at in both its
	 * forms, as a writer may write either.
	 * @param number the number as the writer is given it
	 * @param served the served values
	 * @return whether it is clean
	 */
	static boolean isClean(@Nullable Object number, ServedSecrets served) {
		if (!(number instanceof Number value)) {
			return false;
		}
		if (value instanceof BigDecimal decimal) {
			return !served.shows(decimal) && !served.shows(decimal.toPlainString());
		}
		return !served.shows(value);
	}

	/** Spring Web's converters, only touched when Spring Web is on the class path. */
	private static final class WebConverters {

		static boolean otherJsonConverter(ListableBeanFactory beans, String ownConverter) {
			for (HttpMessageConverter<?> converter : beans.getBeansOfType(HttpMessageConverter.class, false, false)
				.values()) {
				if (!isOwn(converter.getClass(), ownConverter)
						&& converter.canWrite(OperationResponseBody.class, MediaType.APPLICATION_JSON)) {
					return true;
				}
			}
			return false;
		}

		private static boolean isOwn(Class<?> type, String ownConverter) {
			for (Class<?> candidate = type; candidate != null; candidate = candidate.getSuperclass()) {
				if (candidate.getName().equals(ownConverter)) {
					return true;
				}
			}
			return false;
		}

	}

}
