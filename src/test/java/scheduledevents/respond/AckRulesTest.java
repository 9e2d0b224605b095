package scheduledevents.respond;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AckRulesTest {
    @Test
    void neverApprovesNothingAfterHooksNeedsHooksToSucceedUserOnlyNeedsUserSource() {
        assertFalse(AckPolicy.NEVER.allows("User", true));
        assertTrue(AckPolicy.AFTER_HOOKS.allows("Platform", true));
        assertFalse(AckPolicy.AFTER_HOOKS.allows("User", false));
        assertTrue(AckPolicy.USER_ONLY.allows("User", false), "at once, whatever the hooks");
        assertTrue(AckPolicy.USER_ONLY.allows("user", false));
        assertFalse(AckPolicy.USER_ONLY.allows("Platform", true));
        assertFalse(AckPolicy.USER_ONLY.allows(null, true));
    }

    @Test
    void policyAndLeaderNamesParseAndUnknownOnesAreRejected() {
        assertEquals(AckPolicy.AFTER_HOOKS, AckPolicy.parse(" After-Hooks "));
        assertEquals(AckLeader.FIRST, AckLeader.parse("first"));
        assertThrows(IllegalArgumentException.class, () -> AckPolicy.parse("always"));
        assertThrows(IllegalArgumentException.class, () -> AckLeader.parse("random"));
    }

    @Test
    void selfApprovesWhenNamedFirstOnlyWhenFirstInSortedResourcesIgnoringCase() {
        assertTrue(AckLeader.SELF.mayApprove("myvm", List.of("zvm", "MyVM")));
        assertFalse(AckLeader.SELF.mayApprove("myvm", List.of("othervm")));
        assertFalse(AckLeader.FIRST.mayApprove("myvm", List.of("zvm", "avm", "myvm")));
        assertTrue(AckLeader.FIRST.mayApprove("myvm", List.of("zvm", "MYVM", "nvm")));
        assertTrue(AckLeader.FIRST.mayApprove("WestNO_0", List.of("WestNO_1", "westno_0")));
        assertFalse(AckLeader.FIRST.mayApprove(null, List.of("myvm")), "an unknown VM never approves");
        assertFalse(AckLeader.FIRST.mayApprove("myvm", List.of()));
    }
}
