package scheduledevents.sink.eventgrid;

/** Message headers, named as upstream camel-azure-eventgrid names them; used when the body is not an SDK event. */
public final class EventGridConstants {
    public static final String EVENT_TYPE = "CamelAzureEventGridEventType";
    public static final String SUBJECT = "CamelAzureEventGridSubject";
    public static final String EVENT_TIME = "CamelAzureEventGridEventTime";
    public static final String ID = "CamelAzureEventGridId";
    public static final String DATA_VERSION = "CamelAzureEventGridDataVersion";

    private EventGridConstants() {
    }
}
