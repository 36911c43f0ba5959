"""Legal preservation (conservazione): retention from the documents' own dates, disposal with
approval (scarto), and preservation packages with a UNI 11386 (SInCRO) index."""
