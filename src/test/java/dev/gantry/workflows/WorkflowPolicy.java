package dev.gantry.workflows;

import java.util.ArrayList;
import java.util.List;

/**
 * The workflow suite's security and wiring policy (issue 5), as a function of the files: every
 * violation found, or none. Each rule family lives in its own class; {@link WorkflowPolicyTest}
 * runs it on the repository.
 */
final class WorkflowPolicy {
  private WorkflowPolicy() {}

  static List<Violation> check(Suite suite) {
    List<Violation> out = new ArrayList<>(suite.unreadable());
    StepRules.check(suite, out);
    JobRules.check(suite, out);
    ChainRules.check(suite, out);
    DigestRules.check(suite, out);
    CallRules.check(suite, out);
    TemplateRules.check(suite, out);
    return out;
  }
}
