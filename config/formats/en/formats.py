# The date in every list of letters (`|date:"SHORT_DATE_FORMAT"`).
SHORT_DATE_FORMAT = "j M Y"
