package dev.mountedsecrets.compat.app;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * An endpoint whose body holds a served value in a field with no getter: the endpoints' own
 * mapper does not write it, a mapper set to read fields ({@code spring.jackson.visibility.field=any},
 * which the JMX response mapper takes) does. Only with {@code compat.hidden-field-endpoint=true}.
 */
@Component
@Endpoint(id = "hiddenfield")
@ConditionalOnProperty("compat.hidden-field-endpoint")
public class HiddenFieldEndpoint {

	private final Environment environment;

	public HiddenFieldEndpoint(Environment environment) {
		this.environment = environment;
	}

	@ReadOperation
	public Body read() {
		return new Body("visible-hidden-field-body", this.environment.getProperty("secrets.file.name_key", ""));
	}

	/** A body with one property and one field. */
	public static final class Body implements OperationResponseBody {

		private final String shown;

		@SuppressWarnings("unused")
		private final String hidden;

		Body(String shown, String hidden) {
			this.shown = shown;
			this.hidden = hidden;
		}

		public String getShown() {
			return this.shown;
		}

	}

}
