package dev.mountedsecrets.sample.wiring;

import java.util.List;

/**
 * A live check of a component that consumes secrets: logs in, pings, connects.
 */
public interface ConsumerCheck {

	/**
	 * The secret files the checked component consumes.
	 * @return file names
	 */
	List<String> secrets();

	/**
	 * Run the check now. Never throws; a failure is a result.
	 * @return the outcome
	 */
	Result run();

	/**
	 * The outcome of a check.
	 *
	 * @param ok whether the component works with its secrets
	 * @param check what was checked
	 * @param detail what was seen, never a secret
	 */
	record Result(boolean ok, String check, String detail) {

		static Result notChecked() {
			return new Result(true, "none", "read and validated at start-up");
		}

	}

}
