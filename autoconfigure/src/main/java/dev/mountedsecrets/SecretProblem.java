package dev.mountedsecrets;

import java.util.List;

/**
 * Why one secret cannot be used: the file, the properties it feeds, the rule it breaks and
 * what the operator should do. Never holds any part of the value.
 *
 * @param file the file, or the environment variable and its file, that is at fault
 * @param name the secret's name
 * @param properties the properties the secret feeds, possibly none
 * @param rule the fact that makes the secret unusable
 * @param action what to do about it
 */
public record SecretProblem(String file, String name, List<String> properties, String rule, String action) {

	public SecretProblem {
		properties = List.copyOf(properties);
	}

	/**
	 * The same problem, stating the properties the secret feeds.
	 * @param properties the properties fed by the secret
	 * @return a new problem
	 */
	public SecretProblem feeding(List<String> properties) {
		return new SecretProblem(this.file, this.name, properties, this.rule, this.action);
	}

	/**
	 * One line that names the file, the properties and the rule.
	 * @return the description of this problem
	 */
	public String describe() {
		String feeds = this.properties.isEmpty() ? "" : " (feeds " + String.join(", ", this.properties) + ")";
		return this.file + feeds + ": " + this.rule;
	}

}
