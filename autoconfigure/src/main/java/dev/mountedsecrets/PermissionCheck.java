package dev.mountedsecrets;

import java.nio.file.Path;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The permission rule ({@code secrets.permission-check}) applied to one file or folder that
 * others may write to: the same for files in the folder, their folders and {@code X_FILE}s.
 */
final class PermissionCheck {

	private final CheckMode mode;

	PermissionCheck(CheckMode mode) {
		this.mode = mode;
	}

	/**
	 * Record what a broken permission rule means under the check mode.
	 * @param file the file or folder, as shown to the operator
	 * @param name the secret's name
	 * @param rule the rule broken, or {@code null} if none
	 * @param fix the file or folder whose mode must change
	 * @param problems where a failure goes
	 * @param warnings where a warning goes
	 * @return whether the file may be used
	 */
	boolean allows(String file, String name, @Nullable String rule, Path fix, List<SecretProblem> problems,
			List<SecretProblem> warnings) {
		if (this.mode == CheckMode.OFF || rule == null) {
			return true;
		}
		SecretProblem problem = new SecretProblem(file, name, List.of(), rule,
				"Run 'chmod o-w " + fix + "', or set secrets.permission-check=warn.");
		if (this.mode == CheckMode.FAIL) {
			problems.add(problem);
			return false;
		}
		warnings.add(problem);
		return true;
	}

}
