package dev.mountedsecrets.sample.wiring;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The wiring dashboard (role OPS): the page, and the JSON its script reads every few seconds
 * to refresh the rows without reloading the page.
 */
@Controller
class DashboardPage {

	private final WiringDashboard dashboard;

	DashboardPage(WiringDashboard dashboard) {
		this.dashboard = dashboard;
	}

	@GetMapping("/dashboard")
	String page(Model model) {
		model.addAttribute("status", this.dashboard.now());
		return "dashboard";
	}

	@GetMapping("/dashboard/status")
	@ResponseBody
	WiringDashboard.Status status() {
		return this.dashboard.now();
	}

}
