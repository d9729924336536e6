// The filing page's JSON Schema validator: Ajv for Draft 2020-12 with the standard formats
// (`date` is the one tracker's schemas use). Exposed as one global, TrackerAjv.
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";

globalThis.TrackerAjv = { Ajv2020, addFormats };
