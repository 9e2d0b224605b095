package scheduledevents.transitions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import scheduledevents.record.ScheduledEvent;

class ScopeTest {
    private static final ScheduledEvent FOR_MYVM = new ScheduledEvent("e", "Reboot", "VirtualMachine",
            List.of("MyVM", "other"), "Scheduled", "", null, null, null, null);

    @Test
    void parsesBothNamesWhateverTheCase() {
        assertEquals(Scope.THIS_VM, Scope.parse("this-vm"));
        assertEquals(Scope.THIS_VM, Scope.parse(" THIS-VM "));
        assertEquals(Scope.ALL, Scope.parse("All"));
    }

    @Test
    void rejectsOtherNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scope.parse("vm"));
        assertEquals("must be this-vm or all", e.getMessage());
    }

    @Test
    void thisVmKeepsEventNamingTheVmCaseInsensitively() {
        assertTrue(Scope.THIS_VM.keeps(FOR_MYVM, "myvm"));
        assertFalse(Scope.THIS_VM.keeps(FOR_MYVM, "yourvm"));
    }

    @Test
    void thisVmKeepsEveryEventWhileTheVmNameIsUnknown() {
        assertTrue(Scope.THIS_VM.keeps(FOR_MYVM, null));
    }

    @Test
    void allKeepsEveryEvent() {
        assertTrue(Scope.ALL.keeps(FOR_MYVM, "yourvm"));
    }
}
