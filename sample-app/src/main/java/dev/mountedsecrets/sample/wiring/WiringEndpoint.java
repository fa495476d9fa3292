package dev.mountedsecrets.sample.wiring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mountedsecrets.MountedSecrets;
import dev.mountedsecrets.sample.GenerateSecrets;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.beans.factory.ObjectProvider;

/**
 * {@code /actuator/wiring}: for each secret file the sample uses, whether it is present, the
 * properties it feeds, and a live check of the component that consumes it. Never a value.
 */
@Endpoint(id = "wiring")
public class WiringEndpoint {

	private final ObjectProvider<MountedSecrets> secrets;

	private final List<ConsumerCheck> checks;

	public WiringEndpoint(ObjectProvider<MountedSecrets> secrets, List<ConsumerCheck> checks) {
		this.secrets = secrets;
		this.checks = checks;
	}

	@ReadOperation
	public WiringReport wiring() {
		Map<String, ConsumerCheck.Result> results = new LinkedHashMap<>();
		for (ConsumerCheck check : this.checks) {
			ConsumerCheck.Result result = check.run();
			for (String secret : check.secrets()) {
				results.put(secret, result);
			}
		}
		List<SecretWiring> secrets = new ArrayList<>();
		for (String name : GenerateSecrets.names()) {
			List<String> properties = propertiesFedBy(name);
			ConsumerCheck.Result consumer = results.getOrDefault(name, ConsumerCheck.Result.notChecked());
			secrets.add(new SecretWiring(name, !properties.isEmpty(), properties, consumer));
		}
		boolean allOk = secrets.stream().allMatch((secret) -> secret.present() && secret.consumer().ok());
		return new WiringReport(allOk ? "UP" : "DOWN", secrets);
	}

	/**
	 * The properties a secret feeds now, none if it is not loaded (or the starter is off).
	 */
	private List<String> propertiesFedBy(String name) {
		MountedSecrets secrets = this.secrets.getIfAvailable();
		return (secrets != null && secrets.inUse().secrets().containsKey(name)) ? secrets.propertiesFedBy(name)
				: List.of();
	}

	/**
	 * The report.
	 *
	 * @param status UP when every secret is present and every consumer check passed
	 * @param secrets one entry per secret file
	 */
	public record WiringReport(String status, List<SecretWiring> secrets) {

	}

	/**
	 * One secret file.
	 *
	 * @param name the file name
	 * @param present whether the file was read
	 * @param feeds the properties it feeds
	 * @param consumer the live check of the component using it
	 */
	public record SecretWiring(String name, boolean present, List<String> feeds, ConsumerCheck.Result consumer) {

	}

}
