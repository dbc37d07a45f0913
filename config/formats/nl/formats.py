# The date in every list of letters (`|date:"SHORT_DATE_FORMAT"`): Dutch writes its months in lower case.
SHORT_DATE_FORMAT = "j b Y"
